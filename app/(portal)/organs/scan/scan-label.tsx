"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { type FormEvent, useEffect, useRef, useState } from "react";
import { Button, Card, Field } from "@/app/_components/ui";
import { useTRPC } from "@/app/_trpc/client";
import type { TRole } from "@/server/auth/roles";
import { RecordStepForm } from "../[organId]/record-step-form";
import { suggestedStepKind } from "../custody-steps";

type TDetector = { detect(source: CanvasImageSource): Promise<Array<{ rawValue: string }>> };
type TDetectorCtor = new (opts: { formats: string[] }) => TDetector;

/** Camera scanning where the browser has the BarcodeDetector API (Chrome on Android, …). */
function CameraScanner({ onCode }: { onCode: (code: string) => void }) {
  const video = useRef<HTMLVideoElement>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [on, setOn] = useState(false);
  const Detector =
    typeof window !== "undefined"
      ? (window as unknown as { BarcodeDetector?: TDetectorCtor }).BarcodeDetector
      : undefined;

  useEffect(() => {
    if (!on || !Detector) return;
    let stream: MediaStream | null = null;
    let timer: ReturnType<typeof setInterval> | undefined;
    const detector = new Detector({ formats: ["code_128", "data_matrix"] });
    navigator.mediaDevices
      .getUserMedia({ video: { facingMode: "environment" } })
      .then((s) => {
        stream = s;
        if (video.current) {
          video.current.srcObject = s;
          void video.current.play();
        }
        setStatus("Point the camera at the label's barcode.");
        timer = setInterval(async () => {
          if (!video.current || video.current.readyState < 2) return;
          const found = await detector.detect(video.current).catch(() => []);
          if (found[0]?.rawValue) {
            onCode(found[0].rawValue);
            setOn(false);
          }
        }, 300);
      })
      .catch(() => setStatus("The camera is not available; type the DIN instead."));
    return () => {
      if (timer) clearInterval(timer);
      for (const t of stream?.getTracks() ?? []) t.stop();
    };
  }, [on, Detector, onCode]);

  if (!Detector)
    return <p className="text-sm text-slate-700">This browser cannot scan with the camera; type the DIN.</p>;
  return (
    <div className="space-y-2">
      <Button type="button" onClick={() => setOn((v) => !v)}>
        {on ? "Stop camera" : "Scan with camera"}
      </Button>
      {on ? (
        <video
          ref={video}
          className="w-full max-w-sm rounded border"
          muted
          playsInline
          aria-label="Camera preview"
        />
      ) : null}
      {status ? <p className="text-sm text-slate-700">{status}</p> : null}
    </div>
  );
}

/** Opens an organ from its label (camera or typed DIN) and records the hand-off. */
export function ScanLabel({ role }: { role: TRole }) {
  const trpc = useTRPC();
  const [typed, setTyped] = useState("");
  const [din, setDin] = useState<string | null>(null);
  const organ = useQuery({
    ...trpc.custody.findByDin.queryOptions({ din: din ?? "" }),
    enabled: !!din,
    retry: false,
  });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (typed.trim()) setDin(typed.trim());
  };
  const startKind = organ.data
    ? suggestedStepKind({ role, phase: organ.data.custodyState, heldByYou: organ.data.heldByYou })
    : undefined;

  return (
    <div className="space-y-6">
      <Card title="Label">
        <form onSubmit={submit} className="space-y-3">
          <Field
            id="scan-din"
            label="Donation Identification Number"
            hint="13 characters, with or without the check character, as printed on the label"
            value={typed}
            onChange={(e) => setTyped(e.target.value)}
            autoComplete="off"
          />
          <Button type="submit">Open organ</Button>
        </form>
        <div className="mt-4">
          <CameraScanner
            onCode={(code) => {
              setTyped(code);
              setDin(code);
            }}
          />
        </div>
      </Card>
      {organ.error ? (
        <p role="alert" className="text-red-700">
          {organ.error.message}
        </p>
      ) : null}
      {organ.data ? (
        <>
          <Card title={`${organ.data.type.toLowerCase()} · ${organ.data.din}`}>
            <p data-testid="scanned-organ">
              {organ.data.heldByYou
                ? "You hold this organ."
                : `Held by ${organ.data.holderOrgName ?? "nobody yet"}.`}{" "}
              State: {(organ.data.custodyState ?? organ.data.status).toLowerCase().replace(/_/g, " ")}.
            </p>
            <p className="mt-2 text-sm">
              <Link href={`/organs/${organ.data.id}`} className="text-brand-700 underline">
                Open the organ's journey
              </Link>
            </p>
          </Card>
          <RecordStepForm
            key={organ.data.id}
            organId={organ.data.id}
            role={role}
            initialKind={startKind}
            onRecorded={() => void organ.refetch()}
          />
        </>
      ) : null}
    </div>
  );
}
