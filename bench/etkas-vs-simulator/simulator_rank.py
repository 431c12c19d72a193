"""Ranks the comparison case set with the public Eurotransplant ETKidney simulator.

Usage: SIMULATOR_DIR=/path/to/Eurotransplant_ETKidney_simulator python3 simulator_rank.py cases.json > simulator.json

Feeds each donor and the candidates to the simulator's own match-list classes
(MatchListCurrentETKAS below 65, MatchListESP from 65), with the candidate selection its
SimulationRunner applies before building a list (blood group identical, ETKAS/ESP eligible,
not in the AM programme, valid antibody screening, DCD-accepting country) and its
`no_unacceptable_antigens` check (unacceptable broads given with their splits, as Eurotransplant
records them). Each donor's balance is booked as the simulator's own BalanceSystem entries.
"""

import json
import os
import sys
import tempfile
from datetime import datetime

SIM = os.environ.get("SIMULATOR_DIR")
if not SIM:
    sys.exit("set SIMULATOR_DIR to a checkout of hansdeferrante/Eurotransplant_ETKidney_simulator")
os.chdir(SIM)
sys.path.insert(0, SIM)

from collections import deque  # noqa: E402

import yaml  # noqa: E402

import simulator.magic_values.etkidney_simulator_settings as es  # noqa: E402
import simulator.magic_values.magic_values_rules as mgr  # noqa: E402
from simulator.code.BalanceSystem import BalanceSystem, InternationalTransplantation  # noqa: E402

import simulator.magic_values.column_names as cn  # noqa: E402
from simulator.code.entities import Donor, Patient  # noqa: E402
from simulator.code.HLA.api import HLAStatsAPI  # noqa: E402
from simulator.code.HLA.unacceptables import Unacceptables  # noqa: E402
from simulator.code.matchlist.MatchListETKASandESP import MatchListCurrentETKAS, MatchListESP  # noqa: E402
from simulator.code.utils.read_input_files import read_sim_settings  # noqa: E402

ss_group_vars = None
COUNTRY = {"AT": "Austria", "BE": "Belgium", "HR": "Croatia", "DE": "Germany", "HU": "Hungary",
           "NL": "Netherlands", "SI": "Slovenia"}


COUNTRY["LU"] = "Luxembourg"


def balance_system(donor, d):
    """The simulator's BalanceSystem holding the donor's balance: one import (+1) or export (−1) per
    kidney of the net count, in the donor's age group, Austrian ones booked to their centres."""
    group = tuple(donor.__dict__[v] for v in ss_group_vars) if ss_group_vars else ("1",)
    by_country = {}
    for code, n in d["balance"]["national"].items():
        if code == "AT":
            continue
        by_country[COUNTRY[code]] = deque(
            InternationalTransplantation(group=group, level=mgr.NATIONAL, party=COUNTRY[code],
                                         party_center="", transplant_type=mgr.IMPORT if n > 0 else mgr.EXPORT,
                                         txp_time=-1, txp_expiry_time=1e9)
            for _ in range(abs(n)))
    # A centre with a net of 0 still exchanged kidneys (one import, one export): the simulator's
    # regional balance counts only centres with exchanges, the portal every centre it is given.
    def at(centre, kind):
        return InternationalTransplantation(group=group, level=mgr.NATIONAL, party=COUNTRY["AT"],
                                            party_center=centre, transplant_type=kind,
                                            txp_time=-1, txp_expiry_time=1e9)
    by_country[COUNTRY["AT"]] = deque(
        at(centre, kind)
        for centre, n in d["balance"]["regional"].items()
        for kind in ([mgr.IMPORT if n > 0 else mgr.EXPORT] * abs(n) if n else [mgr.IMPORT, mgr.EXPORT]))
    return BalanceSystem(nations=es.ET_COUNTRIES, initial_national_balance={group: by_country},
                         group_vars=ss_group_vars, update_balances=False)


def dt(iso):
    return datetime.fromisoformat(iso.replace("Z", "")) if iso else None


def main():
    cases = json.load(open(sys.argv[1]))
    match_date = dt(cases["matchDate"])
    # The rules in force (CurrentETKAS_actual.yml, its template placeholders dropped), with what it
    # leaves to the run taken from the test settings, and the simulated period moved to the match
    # date: ESP eligibility and Germany's enforced ETKAS/ESP choice are derived from it at load.
    with open(os.path.join("simulator", "sim_yamls", "sim_settings_test.yaml")) as f:
        settings = yaml.load(f, Loader=yaml.FullLoader)
    with open(os.path.join("simulator", "sim_yamls", "templates", "CurrentETKAS_actual.yml")) as f:
        text = "\n".join(line for line in f.read().splitlines() if "{{" not in line)
    if os.environ.get("SIMULATOR_SETTINGS") != "test":  # "test": the test settings alone, to compare
        settings.update(yaml.load(text, Loader=yaml.FullLoader))
    settings["SIM_START_DATE"] = match_date.date()
    settings["SIM_END_DATE"] = match_date.date().replace(year=match_date.year + 1)
    with tempfile.NamedTemporaryFile("w", suffix=".yaml", delete=False) as f:
        yaml.dump(settings, f)
    ss = read_sim_settings(f.name)
    os.unlink(f.name)
    api = HLAStatsAPI(sim_set=ss)
    global ss_group_vars
    ss_group_vars = ss.BALANCE_GROUP_VARS

    def patient(i, c):
        p = Patient(
            id_recipient=i,
            recipient_country=COUNTRY[c["country"]],
            recipient_center=c["centre"],
            recipient_region=c["simRegion"],
            bloodgroup=c["abo"],
            listing_date=dt(c["listedAt"]),
            urgency_code="HU" if c["highUrgency"] else "T",
            hla=c["hla"],
            r_dob=dt(c["dateOfBirth"] + "T00:00:00"),
            sim_set=ss,
            hla_stats_api=api,
            date_first_dial=dt(c["dialysisStartedAt"]),
            type_retx=cn.RETRANSPLANT if c.get("retx") else cn.NO_RETRANSPLANT,
            time_since_prev_txp=c["retx"]["daysSinceTransplant"] if c.get("retx") else None,
            previous_wt=c["retx"]["returnedDialysisDays"] if c.get("retx") else None,
            kidney_program=c.get("kidneyProgramme") or "ETKAS",
        )
        # Recorded as Eurotransplant records them: an unacceptable broad with its splits.
        unacc = c["unacceptable"].split()
        unacc += [s for a in unacc for s in sorted(api.ontology._antigen_children(a))
                  if s in api.ontology.recognizable_splits and s not in unacc]
        p.unacceptable_antigens = Unacceptables(ontology=api.ontology, unacc_string=" ".join(unacc) or None)
        p.valid_pra = 1 if c["screeningValid"] else 0
        p.__dict__[cn.AM_STATUS] = bool(c["am"])
        p._vpra = 0.0  # vPRA needs the donor pool file; it is not a ranking input
        return p

    patients = [(c["id"], patient(i, c)) for i, c in enumerate(cases["candidates"])]
    by_obj = {id(p): cid for cid, p in patients}
    out = {}
    for k, d in enumerate(cases["donors"]):
        donor = Donor(
            sim_set=ss, id_donor=k, n_kidneys_available=2, bloodgroup=d["abo"],
            donor_country=COUNTRY[d["country"]], donor_center=d["centre"], donor_region=d["simRegion"],
            donor_subregion_esp=d.get("simEspCentre") or d["centre"], reporting_date=match_date, donor_dcd=int(d["dcd"]),
            hla=d["hla"], hypertension=False, diabetes=0, cardiac_arrest=False, last_creat=1.0,
            urine_protein=0, smoker=False, age=d["ageYears"], hbsag=False, hcvab=False, hbcab=False,
            cmv=False, sepsis=False, meningitis=False, malignancy=False, drug_abuse=False,
            euthanasia=False, rescue=False, death_cause_group="CVA", hla_stats_api=api, weight=80,
        )
        bal = balance_system(donor, d)
        esp = d["ageYears"] >= 65
        sel = [
            p for _, p in patients
            if p.r_bloodgroup == d["abo"] and not p.am and p.valid_pra == 1
            and (p.dcd_country or not d["dcd"])
            and (p.get_esp_eligible(s=0.001) if esp else p.get_etkas_eligible(s=0.001))
        ]
        cls = MatchListESP if esp else MatchListCurrentETKAS
        calc = ss.calc_esp_score if esp else ss.calc_etkas_score
        ml = cls(patients=sel, donor=donor, match_date=match_date, sim_start_date=match_date,
                 hla_stats_api=api, bal_system=bal,
                 calc_points=calc,
                 store_score_components=False)
        rows = []
        for mr in ml.return_match_list():
            tier = str(mr.__dict__.get(cn.MTCH_TIER))
            if not mr.no_unacceptable_antigens:
                continue
            if esp and tier not in ("A", "B", "C", "D"):
                continue
            rows.append({"id": by_obj[id(mr.patient)], "tier": tier,
                         "points": float(mr.total_match_points),
                         # The simulator's whole sort key: records with equal keys keep input order.
                         "key": [v if isinstance(v, (int, float)) else str(v) for v in mr.match_tuple],
                         "components": {k: float(v) for k, v in calc.calc_score_components(dict(mr.__dict__)).items()}})
        out[d["id"]] = {"programme": "ESP" if esp else "ETKAS", "ranked": rows}
    json.dump(out, sys.stdout, indent=1)


main()
