"""Held-out cases: the ETKidney simulator's own synthetic donors and waiting list, in the harness's format.

Usage:
  SIMULATOR_DIR=/path/to/Eurotransplant_ETKidney_simulator \
    python3 simulator_cases.py OUT_DIR [etkas_donors=30] [esp_donors=10] [max_candidates=600]

Reads the simulator's fake data at run time (SIMULATOR_DATA, else SIMULATOR_DIR/data, else
SIMULATOR_DIR/fake_data.zip unpacked to a temporary folder) with the simulator's own readers
(load_patients, preload_status_updates, load_donors), so every file is parsed as the simulator
parses it. Donors are taken in reporting-date order from the simulated period, evenly spread:
`etkas_donors` under 65 and `esp_donors` 65 and over. For each donor the waiting list is replayed
to the donor's reporting date with the patients' own status updates (listing, urgency, HLA,
unacceptable antigens, dialysis, AM, antibody screening, ETKAS/ESP choice), and the candidates
active then (T, HU, I, HI) are written as one case set per donor: OUT_DIR/<donor>.json, match date
the donor's reporting date. Every mapping is listed in docs/allocation-comparison.md
("Held-out: the simulator's own data").
"""

import json
import os
import sys
import tempfile
import zipfile
from datetime import datetime, timedelta

SIM = os.environ.get("SIMULATOR_DIR")
if not SIM:
    sys.exit("set SIMULATOR_DIR to a checkout of hansdeferrante/Eurotransplant_ETKidney_simulator")
SIM = os.path.abspath(SIM)
os.chdir(SIM)
sys.path.insert(0, SIM)

import pandas as pd  # noqa: E402
import yaml  # noqa: E402

import simulator.magic_values.column_names as cn  # noqa: E402
import simulator.magic_values.etkidney_simulator_settings as es  # noqa: E402
import simulator.magic_values.magic_values_rules as mgr  # noqa: E402
from simulator.code.BalanceSystem import BalanceSystem  # noqa: E402
from simulator.code.HLA.api import HLAStatsAPI  # noqa: E402
from simulator.code.utils.read_input_files import read_historic_donor_balances  # noqa: E402
from simulator.code.utils.load_simulation_entities import (  # noqa: E402
    load_donors, load_patients, preload_status_updates)
from simulator.code.utils.read_input_files import read_sim_settings  # noqa: E402

CODE = {"Austria": "AT", "Belgium": "BE", "Croatia": "HR", "Germany": "DE", "Hungary": "HU",
        "Netherlands": "NL", "Slovenia": "SI", "Luxembourg": "LU"}
# DR51/52/53 are match codes of the simulator without a split or broad row in its match table.
DRB345 = {"DR51", "DR52", "DR53"}
LOCI = {"A": mgr.HLA_A, "B": mgr.HLA_B, "DR": mgr.HLA_DR, "DRB345": "hla_drb345", "DQ": mgr.HLA_DQB}
# The files the rules-in-force template names (data/…), found by name wherever the archive put them.
DATA_FILES = {
    "PATH_DONORS": ("fake_donors_for_etkidney_simulator.csv",),
    "PATH_PATIENTS": ("fake_patients_for_etkidney_simulator.csv",),
    # The template's name, then the test settings' one.
    "PATH_STATUS_UPDATES": ("fake_patstat1_for_etkidney_simulator.csv", "patstat1.csv"),
    "PATH_PROGRAM_UPDATES": ("fake_program_updates_for_etkidney_simulator.csv",),
}
STATUS_COLUMNS = ["id_registration", "tstart", "type_update", "variable_value", "variable_detail",
                  "variable_detail2", "inc_date_time", "removal_reason", "urgency_code"]


def data_dir():
    d = os.environ.get("SIMULATOR_DATA") or os.path.join(SIM, "data")
    if os.path.isdir(d):
        return d
    z = os.path.join(SIM, "fake_data.zip")
    if not os.path.isfile(z) or os.path.getsize(z) < 1000:
        sys.exit(f"no simulator data: neither {d} nor {z} (a Git LFS pointer or missing file does not count)")
    out = tempfile.mkdtemp(prefix="etk-fake-data-")
    zipfile.ZipFile(z).extractall(out)
    return out


BALANCES_FILE = "fake_donors_for_balances_for_etkidney_simulator.csv"


def find(root, name, required=True):
    for dirpath, _, files in os.walk(root):
        if name in files:
            return os.path.join(dirpath, name)
    if required:
        sys.exit(f"{name} not found under {root}")
    return None


def settings(root, start, end):
    """The rules in force (CurrentETKAS_actual.yml without its template placeholders) over the test
    settings, as simulator_rank.py reads them, with the data paths pointed at the simulator's files."""
    with open(os.path.join("simulator", "sim_yamls", "sim_settings_test.yaml")) as f:
        s = yaml.load(f, Loader=yaml.FullLoader)
    with open(os.path.join("simulator", "sim_yamls", "templates", "CurrentETKAS_actual.yml")) as f:
        s.update(yaml.load("\n".join(line for line in f.read().splitlines() if "{{" not in line),
                           Loader=yaml.FullLoader))
    for key, names in DATA_FILES.items():
        s[key] = next((f for f in (find(root, n, required=False) for n in names) if f), None)
        if s[key] is None and key == "PATH_PROGRAM_UPDATES":
            # No programme-choice file: no choice recorded beyond the patients file's own.
            with tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False) as f:
                f.write(",".join(c.upper() for c in STATUS_COLUMNS) + "\n")
            s[key] = f.name
        elif s[key] is None:
            sys.exit(f"none of {', '.join(names)} under {root}")
    s["PATH_BALANCES"] = find(root, BALANCES_FILE, required=False)
    # The template leaves the balance start to its configuration script (prepare_config_files.Rmd:
    # 2014-01-01); with its window (99999 days) every exchange from then to the match date counts.
    s["STARTTIME_FOR_BALANCE"] = datetime.fromisoformat(
        os.environ.get("HELDOUT_BALANCE_START", "2014-01-01")).date()
    s["SIM_START_DATE"], s["SIM_END_DATE"] = start, end
    # The data's own registrations, re-listings after a transplant included: nothing is simulated
    # here, so none is left for the simulator to create.
    s["SIM_RETX"] = False
    with tempfile.NamedTemporaryFile("w", suffix=".yaml", delete=False) as f:
        yaml.dump(s, f)
    ss = read_sim_settings(f.name)
    os.unlink(f.name)
    return ss


def iso(x):
    """A date as the harness writes it; no date (None, NaT: not on dialysis) as null."""
    return None if x is None or pd.isna(x) else x.strftime("%Y-%m-%dT%H:%M:%SZ")


def typing(hla_string, ont):
    """Antigens per locus as written in the data: each code (antigen or allele) as its split where the
    simulator's match table has one, else its broad. Not through the simulator's typing, which reads
    DR17/DR18 as DR3 under the rules in force: the portal applies that rule itself."""
    out = {name: [] for name in LOCI}
    for code in (hla_string or "").upper().split():
        if code in DRB345:
            if code not in out["DRB345"]:
                out["DRB345"].append(code)
            continue
        split = ont.codes_to_split.get(code)
        broad = ont.codes_to_broad.get(code)
        hit = split if split and split[1] and "?" not in split[1] else broad
        if not hit:
            continue
        for name, locus in LOCI.items():
            if hit[0] == locus and hit[1] not in out[name]:
                out[name].append(hit[1])
    return out


# Loci whose Eurotransplant names (DQA-01, DP-0201, DPA-01) the portal does not read. The simulator's
# data types donors on A, B, DR (and DQB, DRB3/4/5) only, so such an unacceptable meets no donor
# antigen on either side; it is left out of the portal's list (the simulator keeps its string). So
# is a code the simulator does not know (it ignores it: serological C names, for one).
PORTAL_UNREAD_LOCI = {"hla_dqa", "hla_dpa", "hla_dpb"}
dropped = {}


def unacceptables(p, ont):
    """Unacceptable antigens: the simulator's string unchanged, and for the portal each code as its
    split, else its broad (an allele as its antigen)."""
    s = p.unacceptable_antigens.unacc_string if p.unacceptable_antigens is not None else None
    names = []
    for code in (s or "").split():
        split = ont.codes_to_split.get(code)
        broad = ont.codes_to_broad.get(code)
        hit = ("hla_drb345", code) if code in DRB345 else \
            split if split and split[1] and "?" not in split[1] else broad
        if not hit or hit[0] in PORTAL_UNREAD_LOCI or "?" in hit[1]:
            dropped[code] = dropped.get(code, 0) + 1
            continue
        if hit[1] not in names:
            names.append(hit[1])
    return s or "", names


def returned_dialysis(p, listed):
    """A re-transplant. The simulator's data gives the returned dialysis time itself (previous_t, days,
    as Eurotransplant computed it) and the days from the failed transplant to re-listing; not the
    dialysis accrued before that transplant nor when dialysis resumed. The portal takes those and
    returns 100/75/50/25/0 % by days from transplant to resumed dialysis. So that the portal returns
    exactly the data's time: accrued = previous_t, and dialysis resumed within 91 days of the
    transplant (100 %) and no later than the re-listing."""
    since = p.__dict__.get(cn.TIME_SINCE_PREV_TXP)
    if p.__dict__.get(cn.TYPE_RETX) == cn.NO_RETRANSPLANT or since is None or pd.isna(since):
        return None
    returned = p.__dict__[cn.PREVIOUS_WT] * es.DAYS_PER_YEAR_FLOAT
    since = int(since)
    transplanted = listed - timedelta(days=since)
    return {"transplantedAt": iso(transplanted),
            "dialysisResumedAt": iso(transplanted + timedelta(days=min(since, 91))),
            "daysSinceTransplant": since, "accruedDialysisDays": returned,
            "returnedDialysisDays": returned}


def candidate(p, ss, ont, match_date):
    country = CODE[p.__dict__[cn.RECIPIENT_COUNTRY]]
    # Austria's regional balance is booked to a centre group's head (AWDTP with AWGTP, AOLTP with
    # AOETP), which the simulator gives the grouped centres too; the portal has one entry per centre.
    centre = es.REG_BAL_CENTER_GROUPS.get(p.__dict__[cn.RECIPIENT_CENTER], p.__dict__[cn.RECIPIENT_CENTER])
    t = typing(p.hla_string, ont)
    t = {k: t[k] for k in ("A", "B", "DR")}
    unacc, unacc_list = unacceptables(p, ont)
    valid = p.valid_pra == 1
    return {
        "id": f"R{p.id_registration}",
        "centre": centre,
        "country": country,
        "simRegion": p.__dict__[cn.RECIPIENT_REGION],
        "espSubregion": ss.ESP_SUBREGIONS.get(centre),
        "abo": p.r_bloodgroup,
        "typing": t,
        "hla": p.hla_string,
        "unacceptableList": unacc_list,
        "unacceptable": unacc,
        "dateOfBirth": p.r_dob.strftime("%Y-%m-%d"),
        "listedAt": iso(p.__dict__[cn.LISTING_DATE]),
        "dialysisStartedAt": iso(p.date_first_dial),
        "highUrgency": p.urgency_code == cn.HU,
        "am": bool(p.am),
        "screeningValid": valid,
        # The simulator keeps only whether the screening is valid; the portal a date (90 days valid).
        "antibodyScreenedAt": iso(match_date - timedelta(days=30 if valid else 200)),
        "kidneyProgramme": p.__dict__[cn.KIDNEY_PROGRAM] if p.__dict__[cn.RECIPIENT_COUNTRY]
        in es.COUNTRIES_ESP_ETKAS_MUTUALLY_EXCLUSIVE else None,
        "retx": returned_dialysis(p, p.__dict__[cn.LISTING_DATE]),
        "simUrgency": p.urgency_code,
    }


def balance(d, ss):
    """The donor's balance as the simulator's BalanceSystem holds it at the donor's reporting date,
    from its historic-exchange file (read_historic_donor_balances, BalanceSystem.from_balance_df):
    net kidneys per country (import +1, export −1; Luxembourg booked as Belgium, as the simulator
    does) in the donor's balance group, and per Austrian centre with any exchange, centres booked
    to their group head (REG_BAL_CENTER_GROUPS). No file: no exchange booked."""
    national = {c: 0 for c in ("LU", "BE", "HR", "DE", "HU", "NL", "SI", "AT")}
    if not ss.PATH_BALANCES:
        return {"national": national, "regional": {}}
    df = read_historic_donor_balances(ss.PATH_BALANCES, sim_start_date=d.reporting_date,
                                      max_window_length=ss.WINDOW_FOR_BALANCE)
    if ss.get("REMOVE_BALANCES_BEFORE_STARTTIME"):
        df = df.loc[df.d_date >= pd.Timestamp(ss.STARTTIME_FOR_BALANCE)]
    bs = BalanceSystem.from_balance_df(ss=ss, df_init_balances=df, group_vars=ss.BALANCE_GROUP_VARS,
                                       update_balances=False)
    group = tuple(d.__dict__[v] for v in ss.BALANCE_GROUP_VARS) if ss.BALANCE_GROUP_VARS else ("1",)
    by_country = bs.national_balances.get(group, {})
    for country, items in by_country.items():
        national[CODE[country]] = int(sum(x.transplant_value for x in items))
    regional = {}
    for x in by_country.get("Austria", []):
        regional[x.party_center] = regional.get(x.party_center, 0) + x.transplant_value
    return {"national": national, "regional": regional}


def donor(d, ss, ont):
    t = typing(d.hla_string, ont)
    country = CODE[d.donor_country]
    esp_centre = d.donor_subregion_esp
    return {
        "id": f"D{d.id_donor}",
        "centre": d.donor_center,
        "country": country,
        "simRegion": d.donor_region,
        "simEspCentre": esp_centre,
        "espSubregion": ss.ESP_SUBREGIONS.get(esp_centre),
        "ageYears": int(d.__dict__[cn.D_AGE]),
        "abo": d.d_bloodgroup,
        "dcd": bool(d.graft_dcd),
        "typing": {k: t[k] for k in ("A", "B", "DR")},
        "drb345": t["DRB345"],
        "dq": t["DQ"],
        "hla": d.hla_string,
        "balance": balance(d, ss),
    }


def main():
    out_dir = sys.argv[1]
    n_etkas, n_esp, cap = (int(x) for x in (sys.argv[2:5] + ["30", "10", "600"][len(sys.argv[2:5]):]))
    root = data_dir()
    start = datetime.fromisoformat(os.environ.get("HELDOUT_START", "2016-01-01")).date()
    end = datetime.fromisoformat(os.environ.get("HELDOUT_END", "2020-01-01")).date()
    ss = settings(root, start, end)
    api = HLAStatsAPI(sim_set=ss)
    ont = api.ontology
    patients = load_patients(sim_set=ss, hla_stats_api=api)
    preload_status_updates(patients=patients, sim_set=ss)
    patients = {k: p for k, p in patients.items() if p.future_statuses is not None}
    for p in patients.values():
        p.trigger_historic_updates()
    donors = sorted(load_donors(sim_set=ss, hla_stats_api=api).values(),
                    key=lambda d: (d.reporting_date, d.id_donor))

    def spread(xs, n):
        return [xs[round(i * (len(xs) - 1) / max(n - 1, 1))] for i in range(min(n, len(xs)))] if xs else []
    chosen = spread([d for d in donors if d.__dict__[cn.D_AGE] < 65], n_etkas) + \
        spread([d for d in donors if d.__dict__[cn.D_AGE] >= 65], n_esp)
    chosen = sorted({id(d): d for d in chosen}.values(), key=lambda d: (d.reporting_date, d.id_donor))
    os.makedirs(out_dir, exist_ok=True)
    sim_start = datetime.combine(start, datetime.min.time())
    for d in chosen:
        when = d.reporting_date
        s = (when - sim_start) / timedelta(days=1)
        for p in patients.values():
            while p.get_next_update_time() is not None and p.get_next_update_time() <= s:
                p.do_patient_update()
        active = sorted((p for p in patients.values()
                         if p.active and p.__dict__[cn.EXIT_STATUS] is None
                         and p.__dict__[cn.LISTING_DATE] <= when and p.hla_string),
                        key=lambda p: p.id_registration)
        # The donor's blood group first (the only ones either side can offer to), then up to a
        # tenth of the cap of the others, so that the blood-group rule is exercised too.
        same = [p for p in active if p.r_bloodgroup == d.d_bloodgroup][:cap]
        other = [p for p in active if p.r_bloodgroup != d.d_bloodgroup][: cap // 10]
        case = {"matchDate": when.strftime("%Y-%m-%dT%H:%M:%S"), "source": "ETKidney simulator fake data",
                "donors": [donor(d, ss, ont)],
                "candidates": [candidate(p, ss, ont, when) for p in same + other]}
        with open(os.path.join(out_dir, f"D{d.id_donor}.json"), "w") as f:
            json.dump(case, f, indent=1)
        if dropped:
            print(f"  unacceptables left out of the portal's lists: {dropped}", file=sys.stderr)
            dropped.clear()
        print(f"D{d.id_donor} {when:%Y-%m-%d} age {d.__dict__[cn.D_AGE]} {d.d_bloodgroup}: "
              f"{len(active)} active, {len(same)}+{len(other)} written", file=sys.stderr)


main()
