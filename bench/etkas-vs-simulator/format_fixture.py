"""A small data set in the ETKidney simulator's fake-data file format, to check simulator_cases.py.

Usage: SIMULATOR_DIR=… python3 format_fixture.py OUT_DIR

NOT held-out data: written here, with random values, only so the converter's reading of the
simulator's files (patients, status and programme updates, donors, historic exchanges) can be run
where the simulator's fake_data.zip is not at hand. Column names and codes are the simulator's
(inputfile_settings.py, column_names.py); centres, regions and ESP subregions its geographic file's.
"""
import csv
import os
import random
import sys
from datetime import datetime, timedelta

import yaml

out = sys.argv[1]
os.makedirs(os.path.join(out, "patient_statuses"), exist_ok=True)
geo = os.path.join(os.environ["SIMULATOR_DIR"], "simulator", "magic_values", "geographic_definitions",
                   "geographic_definitions.yml")
g = yaml.safe_load(open(geo))
ctr = g["CENTERS_TO_REGIONS"]; fl = g["FL_CENTER_CODES"]
centres = [c for c in ctr if fl.get(c[0]) not in (None, "Other")]
esp = g["ESP_SUBREGIONS"]
r = random.Random(5)
A = "A1 A2 A3 A11 A23 A24 A25 A26 A29 A30 A31 A32 A33 A68 A69".split()
B = "B7 B8 B13 B18 B27 B35 B37 B38 B39 B44 B45 B49 B50 B51 B52 B55 B57 B58 B60 B61 B62".split()
DR = "DR1 DR4 DR7 DR8 DR9 DR10 DR11 DR12 DR13 DR14 DR15 DR16 DR17 DR18".split()
DRB345 = {"DR15": "DR51", "DR16": "DR51", "DR17": "DR52", "DR18": "DR52", "DR11": "DR52", "DR12": "DR52", "DR13": "DR52", "DR14": "DR52", "DR4": "DR53", "DR7": "DR53", "DR9": "DR53"}
def hla(): return " ".join([r.choice(A), r.choice(A), r.choice(B), r.choice(B), r.choice(DR), r.choice(DR)])
def bg(): x = r.random(); return "O" if x < .44 else "A" if x < .86 else "B" if x < .96 else "AB"
F = "%Y-%m-%d %H:%M:%S"; D0 = datetime(2012, 1, 1)
pats, stats, progs = [], [], []
for i in range(1, 1201):
    c = r.choice(centres); country = fl[c[0]]
    listed = D0 + timedelta(days=r.randrange(0, 8 * 365))
    dob = listed - timedelta(days=int(365.25 * r.uniform(3, 78)))
    dereg = r.randrange(200, 3000)
    retx = r.random() < .1
    pats.append(dict(id_recipient=i, id_registration=i, inc_date_time=listed.strftime(F), time_to_dereg=dereg,
        time_since_prev_txp=r.randrange(30, 600) if retx else "", prev_txp_living=0 if retx else "", prev_txp_ped=0 if retx else "",
        kth_registration=1, n_previous_transplants=1 if retx else 0, recipient_country=country, recipient_center=c,
        recipient_region=ctr[c], r_bloodgroup=bg(), r_weight=70, r_height=170, r_dob=dob.strftime(F), patient_sex=r.choice(["Male", "Female"]),
        age_at_listing=(listed - dob).days / 365.25, r_hla=hla(), previous_t=r.randrange(0, 2000) if retx else 0, wlki_programme="ESP" if country == "Germany" and r.random() < .5 else "ETKAS",
        date_first_dial=max(dob + timedelta(days=90), listed - timedelta(days=r.randrange(0, 1500))).strftime(F) if r.random() < .85 else ""))
    p = pats[-1]
    def st(t, typ, val, det="", urg="T"): stats.append(dict(id_registration=i, tstart=t, type_update=typ, variable_value=val, variable_detail=det, variable_detail2="", inc_date_time=p["inc_date_time"], removal_reason="", urgency_code=urg))
    u = "HU" if r.random() < .03 else "T"
    st(0, "URG", u, urg=u); st(0, "HLA", p["r_hla"], urg=u)
    if p["date_first_dial"]: st(0, "DIAL", p["date_first_dial"], urg=u)
    if r.random() < .25: st(0, "UNACC", " ".join(sorted(set(r.choice(A + B + DR + ["DR51", "DR52", "DR53"]) for _ in range(r.randrange(1, 4))))), "10", urg=u)
    st(0, "PRA", "1" if r.random() < .95 else "0", "0", urg=u)
    if r.random() < .03: st(0, "AM", "A", urg=u)
    if r.random() < .1: st(r.randrange(1, dereg), "URG", "NT", urg="NT")
    st(dereg, "URG", r.choice(["R", "D"]), urg="R")
    if country == "Germany":
        progs.append({k.upper(): v for k, v in dict(id_registration=i, tstart=0, type_update="PRG", variable_value=p["wlki_programme"], variable_detail="", variable_detail2="", inc_date_time=p["inc_date_time"], removal_reason="", urgency_code=u).items()})
dons = []
for k in range(1, 121):
    c = r.choice(centres); country = fl[c[0]]
    h = hla().split(); drs = sorted({DRB345[x] for x in h[4:] if x in DRB345})
    dons.append({k2.upper(): v for k2, v in dict(d_date=(datetime(2016, 1, 1) + timedelta(days=r.randrange(0, 4 * 365 - 1))).strftime(F), id_donor=k, d_country=country, d_center=c, d_region=ctr[c],
        d_center_subregion_esp=c if c in esp else "", donor_age=r.randrange(3, 64) if k % 4 else r.randrange(65, 85), d_bloodgroup=bg(),
        graft_hbsag=0, graft_hcvab=0, graft_hbcab=0, graft_sepsis=0, graft_meningitis=0, donor_malignancy=0, donor_drug_abuse=0, graft_dcd=int(r.random() < .2), graft_euthanasia=0,
        donor_hla=" ".join(h + drs), death_cause_group="CVA", donor_tumor_history=0, donor_marginal_free_text=0, d_sex="Male", donor_smoking=0, n_kidneys_available=2,
        donor_diabetes=0, donor_hypertension=0, donor_last_creat=1.0, d_urine_protein=0, donor_carrest=0, d_rescue=0, d_cmv=0).items()})
def w(name, rows):
    with open(os.path.join(out, name), "w", newline="") as f:
        wr = csv.DictWriter(f, fieldnames=list(rows[0])); wr.writeheader(); wr.writerows(rows)
w("fake_patients_for_etkidney_simulator.csv", pats); w("patient_statuses/fake_patstat1_for_etkidney_simulator.csv", stats)
w("fake_program_updates_for_etkidney_simulator.csv", progs); w("fake_donors_for_etkidney_simulator.csv", dons)
bal = []
for k in range(600):
    c1, c2 = r.choice(centres), r.choice(centres)
    if fl[c1[0]] == fl[c2[0]]: continue
    bal.append(dict(D_DATE=(datetime(2013, 6, 1) + timedelta(days=r.randrange(0, 6 * 365))).strftime(F), DONOR_ALLOC_COUNTRY=fl[c1[0]], DONOR_ALLOC_CENTER=c1,
        DONOR_AGE=r.randrange(2, 85), D_BLOODGROUP=bg(), RECIPIENT_CENTER=c2, RECIPIENT_COUNTRY=fl[c2[0]], NONETKASESP=0))
w("fake_donors_for_balances_for_etkidney_simulator.csv", bal)
