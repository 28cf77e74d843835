#!/usr/bin/env python3
"""Write a synthetic, valid strategy repository at "national scale", for benchmarks.

    python benchmarks/generate_repository.py OUT_DIR [--objectives 10000] [--risks 2000] [--seed 1] [--no-monthly]

writes OUT_DIR/data/ with trust.yaml, objectives/, risks/ and strategies/: about two hundred
trusts' worth of supporting objectives and BAF risks in one repository, shaped like the examples
in docs/records.md. The output is deterministic for a seed and every record is valid:
`stratctl validate --data OUT_DIR/data` exits 0 (a few warnings, as in real data, are expected:
a declared position without a rationale, an objective without its latest update).

The YAML is written by plain string building, not by a YAML library, so that it looks
hand-written: 2-space indentation, `  - key: value` for sequences of mappings, flow sequences
for short id lists, folded `>-` scalars for long text. This script deliberately does not import
stratctl: it is an independent producer of records, and its own small re-implementation of the
position rules (docs/rating.md) is used only to decide when a declared position needs a rationale.

One objective in ten also has a monthly measure with 24 months of actuals (2020-01 to 2021-12),
so that `status` draws an SPC chart for it; such an objective runs from 2019/20 to 2021/22. Those
series come from a generator of their own, seeded by the objective's index, so `--no-monthly`
writes the same repository without them: the two time what SPC costs.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import textwrap
import zlib
from datetime import date, timedelta
from pathlib import Path

YEAR = "2021/22"
QUARTERS = [f"{YEAR} Q{n}" for n in range(1, 5)]
QUARTER_END = [date(2021, 6, 30), date(2021, 9, 30), date(2021, 12, 31), date(2022, 3, 31)]
YEAR_START, YEAR_END = date(2021, 4, 1), date(2022, 3, 31)
LATEST = 2  # index of the latest quarter reported (2021/22 Q3)
TOLERANCE = 0.10  # trust.yaml's measure_tolerance (the default)
WRAP = 92  # folded text is wrapped to this width, like the hand-written examples

# --- the frame: trust.yaml ------------------------------------------------------------------

STRATEGIC_OBJECTIVES = [
    ("SO1", "Delivering outstanding care and experience"),
    ("SO2", "Working together with local health and social care providers"),
    ("SO3", "Recruiting, developing and retaining our workforce"),
    ("SO4", "Improving and developing our services and infrastructure"),
    ("SO5", "Delivering financial sustainability"),
]

PRIORITIES = [
    (
        "recover-safely",
        "Recover safely",
        "We will work with partners to fully recover services, provide good quality care and experience "
        "while addressing health inequalities",
        ["SO1", "SO2"],
    ),
    (
        "celebrate-support-staff",
        "Celebrate and support our staff",
        "We will celebrate our staff and successes and ensure we provide support to our staff and develop "
        "them for the future",
        ["SO3"],
    ),
    (
        "sustainability",
        "Sustainability",
        "We will work sustainably to further develop our services, finances and protect the environment",
        ["SO4", "SO5"],
    ),
    (
        "reduce-inequalities",
        "Reduce health inequalities",
        "We will use our data to understand who waits longest and who we do not reach, and act on it with "
        "our communities",
        ["SO1", "SO2"],
    ),
    (
        "integrated-care",
        "Integrated care",
        "We will design pathways with primary care, community and mental health partners across the "
        "integrated care system",
        ["SO2"],
    ),
    (
        "digital-first",
        "Digital first",
        "We will give staff and patients the digital tools they need, and keep our systems safe and available",
        ["SO4"],
    ),
    (
        "quality-safety",
        "Quality and safety",
        "We will reduce avoidable harm, learn from incidents and listen to what patients tell us",
        ["SO1"],
    ),
    (
        "research-innovation",
        "Research and innovation",
        "We will grow research participation and adopt proven innovations faster",
        ["SO4"],
    ),
    (
        "estates-renewal",
        "Estates renewal",
        "We will replace the buildings that are no longer fit for care and make the most of the estate we keep",
        ["SO4", "SO5"],
    ),
    (
        "financial-recovery",
        "Financial recovery",
        "We will return to a recurrent balanced position through productivity, not by cutting services",
        ["SO5"],
    ),
]

EXECUTIVES = [
    ("CEO", "Chief Executive"),
    ("COO", "Chief Operating Officer"),
    ("CN", "Chief Nurse"),
    ("CMO", "Chief Medical Officer & Deputy Chief Executive"),
    ("CPO", "Chief People Officer"),
    ("CFO", "Chief Finance Officer"),
    ("CIO", "Chief Information Officer"),
    ("CSATO", "Chief Strategy and Transformation Officer"),
    ("DoE", "Director of Estates and Facilities"),
    ("DCA", "Director of Corporate Affairs"),
    ("DQG", "Director of Quality Governance"),
    ("DRI", "Director of Research and Innovation"),
]

RISK_APPETITE = [("averse", 6), ("minimal", 8), ("cautious", 12), ("open", 16), ("eager", 20)]

# --- enabling strategies and their commitments ------------------------------------------------

# id, title, lead, supports, commitment topics (a commitment's id is the slug of its topic)
STRATEGIES = [
    (
        "digital",
        "Digital, Data and Technology Strategy",
        "CIO",
        ["SO1", "SO4"],
        [
            "electronic patient record",
            "cyber security plan",
            "shared care record",
            "remote monitoring",
            "patient portal",
            "data warehouse",
            "clinical decision support",
            "digital skills training",
            "network infrastructure",
            "systems integration plan",
        ],
    ),
    (
        "people",
        "People and Culture Strategy",
        "CPO",
        ["SO3"],
        [
            "talent pipeline",
            "health and wellbeing offer",
            "flexible working",
            "leadership development",
            "apprenticeship programme",
            "international recruitment",
            "retention of experienced staff",
            "freedom to speak up",
            "reward and recognition",
        ],
    ),
    (
        "green",
        "Green Plan",
        "DoE",
        ["SO4", "SO5"],
        [
            "net zero estate",
            "anaesthetic gas reduction",
            "sustainable travel",
            "waste reduction",
            "sustainable procurement",
            "carbon reporting",
            "green space",
            "low carbon heating",
        ],
    ),
    (
        "quality",
        "Quality Strategy",
        "CN",
        ["SO1"],
        [
            "avoidable harm",
            "infection prevention",
            "mortality reduction",
            "patient safety incident response",
            "deteriorating patient",
            "medicines safety",
            "falls prevention",
            "pressure ulcer prevention",
            "quality improvement training",
        ],
    ),
    (
        "estates",
        "Estates Strategy",
        "DoE",
        ["SO4"],
        [
            "hospital redevelopment",
            "backlog maintenance",
            "theatre refurbishment",
            "ward reconfiguration",
            "car parking",
            "land disposal",
            "space utilisation",
            "fire safety compliance",
        ],
    ),
    (
        "finance",
        "Financial Strategy",
        "CFO",
        ["SO5"],
        [
            "cost improvement programme",
            "agency spend reduction",
            "capital programme",
            "service line reporting",
            "productivity improvement",
            "income recovery",
            "procurement savings",
            "financial controls",
        ],
    ),
    (
        "research",
        "Research Strategy",
        "DRI",
        ["SO4"],
        [
            "research participation",
            "commercial trials",
            "academic partnerships",
            "research nurse workforce",
            "clinical research facility",
            "research culture",
            "grant income",
            "research governance",
        ],
    ),
    (
        "education",
        "Education and Training Strategy",
        "CPO",
        ["SO3"],
        [
            "student placements",
            "university status",
            "simulation training",
            "preceptorship",
            "medical education",
            "mandatory training compliance",
            "library and knowledge services",
            "nursing associate programme",
        ],
    ),
    (
        "clinical",
        "Clinical Strategy",
        "CMO",
        ["SO1", "SO4"],
        [
            "elective recovery",
            "cancer pathways",
            "urgent and emergency care",
            "outpatient transformation",
            "diagnostic capacity",
            "same day emergency care",
            "frailty service",
            "specialist services",
            "theatre productivity",
        ],
    ),
    (
        "patient-experience",
        "Patient Experience Strategy",
        "CN",
        ["SO1"],
        [
            "patient voice",
            "complaints handling",
            "carers support",
            "accessible information",
            "volunteer services",
            "end of life care",
            "learning disability care",
            "patient surveys",
        ],
    ),
    (
        "inclusion",
        "Equality, Diversity and Inclusion Strategy",
        "CPO",
        ["SO3"],
        [
            "inclusive recruitment",
            "staff networks",
            "workforce race equality",
            "disability equality",
            "reverse mentoring",
            "pay gap reduction",
            "inclusive leadership",
            "bullying and harassment",
        ],
    ),
    (
        "communications",
        "Communications and Engagement Strategy",
        "DCA",
        ["SO2"],
        [
            "public engagement",
            "staff communications",
            "intranet replacement",
            "media relations",
            "stakeholder engagement",
            "brand guidelines",
            "social media",
            "internal recognition",
        ],
    ),
    (
        "commercial",
        "Commercial Strategy",
        "CFO",
        ["SO5"],
        [
            "private patient income",
            "car park income",
            "retail partnerships",
            "income from services",
            "subsidiary company",
            "commercial contracts",
            "trading partnerships",
            "overseas visitor income",
        ],
    ),
    (
        "partnerships",
        "System Partnerships Strategy",
        "CSATO",
        ["SO2"],
        [
            "place based partnerships",
            "provider collaborative",
            "community diagnostics",
            "shared pathways",
            "virtual wards",
            "discharge to assess",
            "primary care interface",
            "mental health liaison",
        ],
    ),
    (
        "health-inequalities",
        "Health Inequalities Strategy",
        "CSATO",
        ["SO1", "SO2"],
        [
            "waiting list equity",
            "core20plus5",
            "smoking cessation",
            "alcohol care team",
            "weight management",
            "population health data",
            "anchor institution",
            "digital exclusion",
        ],
    ),
    (
        "safeguarding",
        "Safeguarding Strategy",
        "CN",
        ["SO1"],
        [
            "safeguarding training",
            "domestic abuse support",
            "mental capacity act",
            "liberty protection safeguards",
            "child protection information sharing",
            "safeguarding supervision",
            "prevent duty",
            "modern slavery awareness",
        ],
    ),
    (
        "pharmacy",
        "Medicines Optimisation Strategy",
        "CMO",
        ["SO1", "SO5"],
        [
            "electronic prescribing",
            "antimicrobial stewardship",
            "pharmacy automation",
            "medicines reconciliation",
            "homecare medicines",
            "biosimilar switching",
            "clinical pharmacists",
            "controlled drugs",
        ],
    ),
    (
        "mental-health",
        "Mental Health Strategy",
        "CN",
        ["SO1", "SO2"],
        [
            "mental health in emergency care",
            "dementia care",
            "eating disorder pathway",
            "psychological support",
            "children and young people",
            "staff mental health",
            "psychiatric liaison",
            "ligature risk reduction",
        ],
    ),
    (
        "maternity",
        "Maternity and Neonatal Strategy",
        "CN",
        ["SO1", "SO3"],
        [
            "continuity of carer",
            "midwifery workforce",
            "ockenden actions",
            "neonatal critical care",
            "perinatal mental health",
            "maternity voices",
            "saving babies lives",
            "birth centre",
        ],
    ),
    (
        "workforce-planning",
        "Workforce Planning Strategy",
        "CPO",
        ["SO3", "SO5"],
        [
            "e-rostering",
            "job planning",
            "new roles",
            "bank staffing",
            "vacancy control",
            "establishment review",
            "workforce information",
            "temporary staffing",
        ],
    ),
]

COMMITMENT_VERBS = [
    "Deliver",
    "Develop",
    "Introduce",
    "Expand",
    "Improve",
    "Embed",
    "Establish",
    "Strengthen",
    "Roll out",
    "Implement",
    "Review and renew",
    "Invest in",
]
COMMITMENT_TAILS = [
    "across all three hospital sites",
    "in partnership with integrated care system partners",
    "so that patients receive safer and more timely care",
    "to support staff to work at the top of their licence",
    "building on the lessons learned during the pandemic",
    "with clear measures of success reported to the Board each quarter",
    "so that future decision-making takes patient and staff experience into account",
    "in line with national guidance and the NHS Long Term Plan",
    "co-designed with patients, carers and staff representatives",
    "to release time to care and reduce duplication",
]

# --- objectives -------------------------------------------------------------------------------

# objective topics, grouped by the verbs that make sense with them
OBJECTIVE_TOPICS = {
    ("Reduce", "Bring down", "Halve"): [
        "cancer waiting times",
        "length of stay",
        "maternity vacancies",
        "staff sickness absence",
        "diagnostic waiting times",
        "ambulance handover delays",
        "outpatient follow-ups",
        "delayed discharges",
        "HSMR",
        "hospital acquired infections",
        "inpatient falls",
        "pressure ulcers",
        "medication errors",
        "complaint response times",
        "staff turnover",
        "agency spend",
        "carbon emissions",
        "backlog maintenance",
    ],
    ("Improve", "Increase", "Raise"): [
        "theatre utilisation",
        "appraisal compliance",
        "mandatory training compliance",
        "e-rostering coverage",
        "patient portal adoption",
        "virtual ward capacity",
        "research recruitment",
        "student numbers",
        "patient experience feedback",
        "digital maturity",
        "data quality",
        "volunteer recruitment",
        "safeguarding training",
        "smoking cessation referrals",
        "elective activity",
    ],
    ("Deliver", "Implement", "Complete", "Roll out", "Establish"): [
        "electronic prescribing",
        "shared care records",
        "same day emergency care",
        "frailty pathway",
        "urgent treatment centre",
        "NHS 111 pathway",
        "Ockenden recommendations",
        "continuity of carer",
        "cost improvement programme",
        "capital programme",
        "estate rationalisation",
        "wellbeing conversations",
        "flexible working",
        "freedom to speak up",
        "workforce race equality plan",
        "health inequalities plan",
        "antimicrobial stewardship",
        "end of life care",
        "dementia care",
        "learning disability care",
        "cyber security",
        "procurement savings",
        "income recovery",
        "nursing associates",
        "international nurse recruitment",
        "preceptorship",
        "quality improvement culture",
    ],
}
OBJECTIVE_TAILS = [
    "by Q4",
    "by March 2022",
    "across all sites",
    "in line with national standards",
    "with system partners",
    "for all inpatient wards",
    "to pre-pandemic levels",
    "in every clinical division",
    "as agreed with the ICS",
    "by the end of the year",
]

# measure templates: id, name, unit, direction, baseline range, target (fraction of the way from the
# baseline to the ideal), decimals
MEASURES = [
    ("rtt-18-weeks", "Patients waiting under 18 weeks", "%", "up", (55, 75), 92.0, 1),
    ("vacancy-rate", "Vacancy rate", "%", "down", (8, 21), 5.0, 1),
    ("length-of-stay", "Average length of stay", " days", "down", (5, 9), None, 1),
    ("sickness-absence", "Sickness absence rate", "%", "down", (4.5, 7.5), 4.0, 2),
    ("ae-four-hour", "A&E attendances seen within four hours", "%", "up", (62, 85), 95.0, 1),
    ("appraisal-rate", "Staff with an appraisal in the last 12 months", "%", "up", (65, 85), 90.0, 1),
    ("carbon-emissions", "Carbon emissions", " tCO2e", "down", (18000, 42000), None, 0),
    ("hsmr", "Hospital Standardised Mortality Ratio", None, "down", (100, 122), 100.0, 0),
    ("cancer-62-day", "Cancer patients treated within 62 days", "%", "up", (58, 80), 85.0, 1),
    ("cip-delivered", "Cost improvement delivered", " GBP m", "up", (0.5, 2.5), None, 2),
    ("falls-per-1000", "Inpatient falls per 1,000 bed days", None, "down", (5, 8), None, 2),
    ("complaints-25-days", "Complaints answered within 25 working days", "%", "up", (50, 80), 90.0, 1),
    ("medically-fit", "Patients medically fit for discharge", None, "down", (60, 140), None, 0),
    ("mandatory-training", "Mandatory training compliance", "%", "up", (75, 88), 95.0, 1),
    ("agency-spend", "Agency spend as a share of pay", "%", "down", (5, 9), 3.7, 2),
    ("theatre-utilisation", "Theatre utilisation", "%", "up", (68, 80), 85.0, 1),
]

# monthly measure templates: id, name, unit, direction, baseline range, target, month-to-month noise
MONTHLY_MEASURES = [
    ("ed-4-hour", "Patients seen within four hours in ED", "%", "up", (68, 80), 95.0, 1.5),
    ("rtt-18-weeks-monthly", "Incomplete pathways within 18 weeks", "%", "up", (58, 72), 92.0, 1.0),
    ("ambulance-handover-60", "Ambulance handovers over 60 minutes", None, "down", (120, 260), 0.0, 12.0),
    ("cancer-28-day-fds", "Cancer faster diagnosis within 28 days", "%", "up", (62, 74), 75.0, 2.0),
]
MONTHLY_EVERY = 10  # one objective in ten
MONTHLY_YEAR = "2019/20"  # 24 months ending 2021-12 begin in 2020-01, which is in 2019/20 (Q4)
MONTHLY_ACTUALS = 24
MONTH_ZERO = (2020, 1)  # month index 0; the baseline is month -1 (2019-12)


def month_label(index: int) -> str:
    year, month = divmod(MONTH_ZERO[0] * 12 + MONTH_ZERO[1] - 1 + index, 12)
    return f"{year}-{month + 1:02d}"


def month_of(day: date) -> int:
    """The month index (0 = 2020-01) of a day."""
    return (day.year - MONTH_ZERO[0]) * 12 + day.month - MONTH_ZERO[1]


PROGRESS_SIGNAL = {"on-track": "G", "behind": "A", "at-risk": "R", "not-started": "A"}
ORDER = {"R": 0, "A": 1, "G": 2, "C": 3}
TRANSITIONS = {  # progress next quarter, given progress this quarter
    None: (["not-started", "on-track", "behind", "at-risk"], [20, 60, 15, 5]),
    "not-started": (["not-started", "on-track", "behind"], [10, 60, 30]),
    "on-track": (["on-track", "behind", "at-risk", "complete"], [72, 14, 4, 10]),
    "behind": (["on-track", "behind", "at-risk", "complete"], [38, 38, 20, 4]),
    "at-risk": (["on-track", "behind", "at-risk"], [20, 40, 40]),
}

GOOD_SENTENCES = [
    "The programme remains on track and the project board met {month_name} to confirm the plan.",
    "{n} of {m} services have agreed their trajectories and are reporting monthly.",
    "Performance improved to {pct}% this quarter, the best position since the start of the pandemic.",
    "The business case was approved by the Finance and Investment Committee in {month_name}.",
    "Recruitment continues with {n} offers made and start dates agreed for most candidates.",
    "Clinical engagement has been strong, with workshops held in every division.",
    "The pilot on two wards finished in {month_name} and the evaluation supports wider roll-out.",
    "Funding of {money}k has been secured from the regional team for the next phase.",
    "Go-live took place as planned and early feedback from staff has been positive.",
    "Data quality has improved and the dashboard is now used at divisional performance reviews.",
    "Partners across the system have signed the memorandum of understanding.",
    "The improvement trajectory agreed with commissioners is being met.",
]
BAD_SENTENCES = [
    "Operational pressures during the Omicron wave have slowed progress this quarter.",
    "Supplier delays have moved the go-live date to {month_name}.",
    "Vacancies in the team remain at {pct}% and recruitment has been harder than planned.",
    "Performance fell to {pct}% as elective lists were stood down to support urgent care.",
    "The business case has been deferred to the next capital round while costs are reviewed.",
    "A recovery plan is being developed with the division and will go to the Board in {month_name}.",
    "Sickness absence among key staff has delayed {n} of the planned workshops.",
    "Dependencies on the system-wide programme mean the timetable is not in the Trust's control.",
    "Estates works uncovered additional asbestos which must be removed before work can continue.",
    "Only {n} of {m} services have submitted plans, and the remainder are being escalated.",
]
NEUTRAL_SENTENCES = [
    "Scoping has begun and a project lead has been identified.",
    "The project initiation document is being drafted for approval in {month_name}.",
    "Terms of reference for the steering group were agreed at the first meeting.",
    "Baseline data is being collected so that progress can be measured from next quarter.",
    "A benchmarking exercise against peer trusts is under way with the Model Hospital team.",
]
RATIONALES = [
    "Recovery plan agreed with NHSE; delivery is still expected by March.",
    "The measure lags the work because the new pathway went live late in the quarter.",
    "The executive lead judges the risk to the year-end position to be greater than the data shows.",
    "Milestone slippage is administrative; the outcome is not affected.",
    "Additional funding confirmed after the quarter end changes the year-end outlook.",
    "The Board asked for a more cautious position until the winter plan is tested.",
]
MILESTONES = [
    "Project board established",
    "Business case approved",
    "Pilot completed on two wards",
    "Go-live at the main site",
    "Procurement completed",
    "Staff consultation closed",
    "Evaluation reported to the Board",
    "Training delivered to all team leaders",
    "Data dashboard published",
    "Contract signed with preferred supplier",
    "Patient engagement events held",
    "Recruitment campaign launched",
]
MONTHS = [
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
    "January",
    "February",
    "March",
]

# --- risks ------------------------------------------------------------------------------------

RISK_TOPICS = [
    (
        "Patient flow",
        "the Trust not sustaining effective patient flow",
        "negatively impact on waiting times, safety, patient and staff experience",
        "COO",
        ["SO1"],
    ),
    (
        "Hospital estate",
        "old and non-compliant buildings on the main hospital site",
        "put patient and staff safety at risk and limit the services we can offer",
        "DoE",
        ["SO1", "SO4"],
    ),
    (
        "Workforce capacity",
        "an inability to recruit and retain sufficient registered staff",
        "lead to unsafe staffing levels and increased reliance on agency workers",
        "CPO",
        ["SO3"],
    ),
    (
        "Financial sustainability",
        "the Trust not delivering its financial plan and efficiency programme",
        "restrict investment in services and lead to regulatory intervention",
        "CFO",
        ["SO5"],
    ),
    (
        "Cyber security",
        "a successful cyber attack on the Trust's clinical systems",
        "disrupt patient care and compromise the confidentiality of patient data",
        "CIO",
        ["SO1", "SO4"],
    ),
    (
        "Elective recovery",
        "the size of the waiting list built up during the pandemic",
        "cause harm to patients waiting longer than clinically appropriate",
        "COO",
        ["SO1"],
    ),
    (
        "Cancer performance",
        "insufficient diagnostic and treatment capacity",
        "delay diagnosis and treatment and worsen outcomes for cancer patients",
        "COO",
        ["SO1"],
    ),
    (
        "Maternity safety",
        "gaps in midwifery staffing and training compliance",
        "increase the risk of avoidable harm to mothers and babies",
        "CN",
        ["SO1", "SO3"],
    ),
    (
        "Staff wellbeing",
        "sustained operational pressure and fatigue after the pandemic",
        "increase sickness absence and turnover and reduce the quality of care",
        "CPO",
        ["SO3"],
    ),
    (
        "System partnership",
        "the Trust and its partners not agreeing shared priorities",
        "slow the integration of pathways and the recovery of services",
        "CSATO",
        ["SO2"],
    ),
    (
        "Capital funding",
        "the capital allocation being insufficient for the estate and equipment",
        "leave essential equipment unreplaced and backlog maintenance growing",
        "CFO",
        ["SO4", "SO5"],
    ),
    (
        "Infection prevention",
        "outbreaks of COVID-19 and other infections in inpatient areas",
        "close beds, harm patients and reduce elective capacity",
        "CN",
        ["SO1"],
    ),
    (
        "Digital infrastructure",
        "ageing network and end of life systems",
        "cause unplanned outages of clinical systems",
        "CIO",
        ["SO4"],
    ),
    (
        "Regulatory compliance",
        "the Trust not meeting fundamental standards of care",
        "result in enforcement action and loss of public confidence",
        "DCA",
        ["SO1"],
    ),
    (
        "Health inequalities",
        "the Trust not understanding who waits longest for care",
        "widen the gap in outcomes between the most and least deprived communities",
        "CSATO",
        ["SO1", "SO2"],
    ),
    (
        "Research capacity",
        "limited research infrastructure and protected time",
        "reduce the number of patients who can take part in research",
        "DRI",
        ["SO4"],
    ),
    (
        "Mental health demand",
        "a rise in patients with mental health needs attending the emergency department",
        "lead to long waits in unsuitable environments and harm to patients and staff",
        "CN",
        ["SO1", "SO2"],
    ),
    (
        "Net zero",
        "the Trust not reducing its carbon emissions at the required pace",
        "miss national net zero targets and increase energy costs",
        "DoE",
        ["SO4", "SO5"],
    ),
]
RISK_SITES = [
    "the main hospital site",
    "the community hospitals",
    "the district general hospital",
    "the treatment centre",
    "all acute sites",
    "the women's and children's unit",
]
CONTROLS = [
    "Daily site safety huddles chaired by the duty director",
    "Weekly access and performance meeting reviewing all long waiters",
    "Clinical harm reviews for patients waiting over 52 weeks",
    "Safe staffing reviews twice a day with escalation to the Chief Nurse",
    "Monthly divisional performance reviews with the executive team",
    "Capital programme prioritised by the estates risk register",
    "Cyber security monitoring service with out of hours alerts",
    "Financial recovery plan overseen by the Finance and Investment Committee",
    "Recruitment and retention plan with quarterly reporting to the People Committee",
    "Infection prevention and control Board Assurance Framework",
    "Business continuity plans tested annually",
    "System-wide discharge cell meeting three times a week",
    "Mandatory training with compliance reported by ward",
    "Vacancy control panel for all non-clinical posts",
    "Incident reporting and weekly review of serious incidents",
]
GAPS = [
    "Insufficient capacity in community services to accept discharges",
    "Backlog maintenance funding below the level needed",
    "Reliance on temporary staff in hard to recruit specialties",
    "Legacy systems that cannot be patched to the current standard",
    "Limited data on waiting times by ethnicity and deprivation",
    "Efficiency plans not yet identified in full for next year",
    "Training compliance below target in two divisions",
    "No agreed system-wide plan for winter escalation",
    "Recurrent funding not confirmed beyond the current year",
]
ASSURANCE_SOURCES = {
    1: [
        "Divisional performance reviews",
        "Ward accreditation scheme",
        "Daily safety huddle logs",
        "Departmental audit programme",
    ],
    2: [
        "Quality and Safety Committee reports",
        "Integrated performance report",
        "People Committee dashboard",
        "Finance and Investment Committee review",
    ],
    3: ["Internal audit report", "CQC inspection findings", "External peer review", "NHSE regional review"],
}
ACTIONS = [
    "Discharge to assess pathway",
    "Overseas nurse recruitment cohort",
    "Replacement of the fire alarm system",
    "Penetration test of clinical systems",
    "Validation of the elective waiting list",
    "Winter plan signed off",
    "Business case for additional theatre capacity",
    "Retention workshops in every division",
    "Business continuity exercise",
    "Review of escalation triggers",
    "Procurement of a new network",
    "Independent review of the efficiency programme",
]
COMMITTEES = [
    "Quality and Safety Committee",
    "Finance and Investment Committee",
    "People Committee",
    "Audit Committee",
    "Digital Committee",
    "Strategy and Transformation Committee",
]
REVIEW_NOTES = [
    "No change to the score this quarter; controls remain effective.",
    "Score reviewed at the committee and held pending the winter plan.",
    "Likelihood reduced following completion of the action plan.",
    "Score increased due to sustained operational pressure.",
    "New gaps in control identified and added to the action plan.",
    "Deep dive presented to the Board; the target date was confirmed.",
]

# --- helpers ------------------------------------------------------------------------------------


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def scalar(key: str, text: str, indent: int) -> str:
    """`key: text` as a plain scalar, or a folded `key: >-` block when the line would be long or
    the text would not read back unchanged unquoted (": ", " #", a leading indicator)."""
    pad = " " * indent
    line = f"{pad}{key}: {text}"
    if len(line) <= WRAP and _plain_safe(text):
        return line + "\n"
    body = textwrap.wrap(text, width=WRAP - indent - 2, break_long_words=False, break_on_hyphens=False)
    return f"{pad}{key}: >-\n" + "".join(f"{pad}  {part}\n" for part in body)


def _plain_safe(text: str) -> bool:
    """Whether `text` reads back unchanged as a plain (unquoted) scalar in block context."""
    return (
        bool(text)
        and text[0] not in "-?:,[]{}#&*!|>'\"%@`"
        and ": " not in text
        and " #" not in text
        and not text.endswith(":")
        and text.strip() == text
    )


def flow(values: list[str], quote: bool = False) -> str:
    return "[" + ", ".join(f'"{v}"' if quote else v for v in values) + "]"


def fmt_number(value: float, decimals: int) -> str:
    return f"{value:.{decimals}f}" if decimals else f"{round(value)}"


def measure_lines(m: dict) -> list[str]:
    """One measure's YAML, an item of an objective's `measures:`."""
    d = m["decimals"]
    out = [f"  - id: {m['id']}\n    name: {m['name']}\n"]
    if m["unit"]:
        out.append(f'    unit: "{m["unit"].strip()}"\n')
    out.append(f"    direction: {m['direction']}\n")
    if m.get("monthly"):
        out.append("    cadence: monthly\n")
        out.append(f"    baseline: {{month: {month_label(m['baseline_q'])}, value: {fmt_number(m['baseline'], d)}}}\n")
    else:
        out.append(f"    baseline: {{quarter: {QUARTERS[m['baseline_q']]}, value: {fmt_number(m['baseline'], d)}}}\n")
    out.append(f"    target: {fmt_number(m['target'], d)}\n")
    if m["tolerance"] is not None:
        out.append(f"    tolerance: {m['tolerance']}\n")
    if m["actuals"]:  # absent when no return has been made yet
        out.append("    actuals:\n")
        for q, v in sorted(m["actuals"].items()):
            key = month_label(q) if m.get("monthly") else QUARTERS[q]
            out.append(f"      {key}: {fmt_number(v, d)}\n")
    return out


def rating(lik: int, con: int) -> str:
    return f"{{likelihood: {lik}, consequence: {con}, score: {lik * con}}}"


# --- a small re-implementation of the position rules (docs/rating.md), to place rationales ----------


def measure_signal(measure: dict, upto: int, target_q: int) -> str | None:
    """`upto` and `target_q` are quarter indexes, or month indexes for a monthly measure."""
    points = {q: v for q, v in measure["actuals"].items() if q <= upto}
    if measure["baseline_q"] <= upto:
        points.setdefault(measure["baseline_q"], measure["baseline"])
    pts = sorted(points.items())
    if len(pts) < 2:
        return None
    up = measure["direction"] == "up"
    target = measure["target"]
    latest = pts[-1][1]
    if (latest >= target) if up else (latest <= target):
        return "G"
    first = pts[0][1]
    if first == target:
        return "R"
    xs, ys = [q for q, _ in pts], [v for _, v in pts]
    n = len(xs)
    mean_x, mean_y = sum(xs) / n, sum(ys) / n
    spread = sum((x - mean_x) ** 2 for x in xs)
    slope = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True)) / spread
    projection = mean_y + slope * (target_q - mean_x)
    if (projection >= target) if up else (projection <= target):
        return "G"
    shortfall = abs(target - projection) / abs(target - first)
    tolerance = measure["tolerance"] if measure["tolerance"] is not None else TOLERANCE
    return "A" if shortfall <= tolerance else "R"


def computed_position(objective: dict, update_index: int) -> str:
    update = objective["updates"][update_index]
    q = update["q"]
    as_of = QUARTER_END[q]
    if update["progress"] == "complete":
        return "C"
    if objective["due"] < as_of:
        return "R"
    signals = [PROGRESS_SIGNAL[update["progress"]]]
    target_q = quarter_of(objective["due"])
    for measure in objective["measures"]:
        if measure.get("monthly"):  # the month at the quarter's end, against the month of the due date
            signal = measure_signal(measure, month_of(QUARTER_END[q]), month_of(objective["due"]))
        else:
            signal = measure_signal(measure, q, target_q)
        if signal:
            signals.append(signal)
    for milestone in objective["milestones"]:
        done = milestone["done"]
        if (done is not None and done <= as_of) or milestone["due"] >= as_of:
            continue
        signals.append("R" if (as_of - milestone["due"]).days > 90 else "A")
    return min(signals, key=ORDER.__getitem__)


def quarter_of(day: date) -> int:
    """The quarter index (0 = Q1) of a day in 2021/22; later days count on (Q4 = 3, next Q1 = 4)."""
    months = (day.year - 2021) * 12 + day.month - 4
    return months // 3


# --- the generator ---------------------------------------------------------------------------


class Generator:
    def __init__(self, seed: int, n_objectives: int, n_risks: int, monthly: bool = True) -> None:
        self.rng = random.Random(seed)
        self.seed = seed
        self.monthly = monthly
        self.n_objectives = n_objectives
        self.n_risks = n_risks
        self.risk_ids: list[str] = []
        self.commitments: list[str] = []
        self.stats = {"objectives": 0, "risks": 0, "strategies": 0, "bytes": 0, "monthly_measures": 0}

    # text -----------------------------------------------------------------------------------

    def sentence(self, pool: list[str], template: str | None = None) -> str:
        r = self.rng
        m = r.randint(4, 14)
        return (template or r.choice(pool)).format(
            month_name=r.choice(MONTHS),
            n=r.randint(2, m),
            m=m,
            pct=r.randint(55, 97),
            money=r.randrange(50, 950, 25),
        )

    def comment(self, progress: str) -> str:
        pool = {"on-track": GOOD_SENTENCES, "complete": GOOD_SENTENCES, "not-started": NEUTRAL_SENTENCES}.get(
            progress, BAD_SENTENCES
        )
        count = self.rng.choices([1, 2, 3, 4], [4, 18, 40, 38])[0]
        templates: list[str] = []
        for _ in range(count * 3):
            template = self.rng.choice(pool if self.rng.random() < 0.8 else GOOD_SENTENCES + BAD_SENTENCES)
            if template not in templates:
                templates.append(template)
            if len(templates) == count:
                break
        sentences = [self.sentence(pool, t) for t in templates]
        # About one comment in eight uses Markdown emphasis, as Board comments sometimes do, so the
        # report's Markdown rendering is exercised. Chosen by a hash of the text rather than by
        # self.rng, so the rest of the repository is the same as without it.
        if len(sentences) > 1 and zlib.crc32(sentences[0].encode()) % 8 == 0:
            sentences[0] = f"**{sentences[0]}**"
        return " ".join(sentences)

    def folded(self, key: str, text: str, indent: int) -> str:
        """Always a folded `>-` scalar (comments and descriptions, as in the examples)."""
        pad = " " * indent
        body = textwrap.wrap(text, width=WRAP - indent - 2, break_long_words=False, break_on_hyphens=False)
        return f"{pad}{key}: >-\n" + "".join(f"{pad}  {part}\n" for part in body)

    # trust.yaml -----------------------------------------------------------------------------

    def trust(self) -> str:
        r = self.rng
        out = [
            "name: National Synthetic Benchmark NHS Foundation Trust\n",
            "short_name: NSBT\n",
            f"year: {YEAR}\n",
            "year_start_month: 4\n",
            "strategic_objectives:\n",
        ]
        for so_id, title in STRATEGIC_OBJECTIVES:
            out.append(f"  - id: {so_id}\n    title: {title}\n")
        out.append("priorities:\n")
        for pid, title, statement, _ in PRIORITIES:
            out.append(f"  - id: {pid}\n    title: {title}\n")
            out.append(self.folded("statement", statement, 4))
            out.append(f"    risks: {flow(sorted(r.sample(self.risk_ids, min(5, len(self.risk_ids)))), quote=True)}\n")
        out.append("executives:\n")
        for eid, title in EXECUTIVES:
            out.append(f"  - id: {eid}\n    title: {title}\n")
        out.append("risk_appetite:\n")
        for level, limit in RISK_APPETITE:
            out.append(f"  {level}: {limit}\n")
        return "".join(out)

    # strategies -----------------------------------------------------------------------------

    def strategy(self, sid: str, title: str, lead: str, supports: list[str], topics: list[str]) -> str:
        r = self.rng
        status = r.choices(["in-development", "approved", "retired"], [45, 50, 5])[0]
        out = [f"id: {sid}\n", f"title: {title}\n", f"lead: {lead}\n", f"status: {status}\n"]
        if status == "in-development":
            out.append(f"approval_due: {r.choice(['2021-12-31', '2022-01-31', '2022-03-31'])}\n")
        out.append(f"supports: {flow(supports)}\n")
        out.append("commitments:\n")
        count = min(len(topics), r.choice([7, 8, 8, 8, 9]))
        for topic in r.sample(topics, count):
            cid = slug(topic)
            self.commitments.append(f"{sid}.{cid}")
            text = f"{r.choice(COMMITMENT_VERBS)} {topic} {r.choice(COMMITMENT_TAILS)}"
            out.append(f"  - id: {cid}\n")
            out.append(scalar("title", text, 4))
            if r.random() < 0.5:
                out.append(f"    due: {r.choice(['2022-03-31', '2023-03-31', '2024-03-31'])}\n")
        return "".join(out)

    # risks ----------------------------------------------------------------------------------

    def risk(self, rid: str) -> str:
        r = self.rng
        title, cause, impact, lead, threatens = r.choice(RISK_TOPICS)
        site = r.choice(RISK_SITES)
        if r.random() < 0.3:
            lead = r.choice(EXECUTIVES)[0]
        threatens = sorted(set(threatens) | ({r.choice(STRATEGIC_OBJECTIVES)[0]} if r.random() < 0.3 else set()))
        description = (
            f"Risk of harm to patients and staff at {site} due to {cause}, which will {impact}. "
            f"{self.sentence(BAD_SENTENCES)}"
        )
        # ratings: inherent >= current >= target, scores are likelihood x consequence
        lik, con = r.randint(2, 5), r.randint(3, 5)
        inh_l, inh_c = min(5, lik + r.randint(0, 2)), min(5, con + r.randint(0, 1))
        tgt_l, tgt_c = r.randint(1, lik), r.randint(max(1, con - 1), con)
        appetite = r.choice(RISK_APPETITE)[0]

        out = [
            f'id: "{rid}"\n',
            f"title: {title} ({site})\n",
            self.folded("description", description, 0),
            f"lead: {lead}\n",
            f"committee: {r.choice(COMMITTEES)}\n",
            f"threatens: {flow(threatens)}\n",
            f"appetite: {appetite}\n",
            f"inherent: {rating(inh_l, inh_c)}\n",
            f"current: {rating(lik, con)}\n",
            f"target: {rating(tgt_l, tgt_c)}\n",
            f"target_date: {r.choice(['2022-03-31', '2022-09-30', '2023-03-31'])}\n",
        ]
        out.append("controls:\n")
        out.extend(f"  - {control}\n" for control in r.sample(CONTROLS, r.randint(2, 5)))
        if r.random() < 0.7:
            out.append("gaps:\n")
            out.extend(f"  - {gap}\n" for gap in r.sample(GAPS, r.randint(1, 3)))
        if r.random() < 0.5:
            out.append("assurances:\n")
            out.extend(
                f"  - {{line: {line}, source: {r.choice(ASSURANCE_SOURCES[line])}}}\n"
                for line in sorted(r.sample([1, 2, 3], r.randint(1, 3)))
            )
        if r.random() < 0.5:
            out.append("actions:\n")
            for action in r.sample(ACTIONS, r.randint(1, 2)):
                due = YEAR_START + timedelta(days=r.randint(60, 360))
                out.append(f"  - title: {action}\n    owner: {r.choice(EXECUTIVES)[0]}\n    due: {due.isoformat()}\n")
                if due < QUARTER_END[LATEST] and r.random() < 0.7:
                    out.append(f"    done: {(due - timedelta(days=r.randint(0, 20))).isoformat()}\n")
        # reviews, oldest first, ending at the latest quarter with the current rating
        n_reviews = r.choices([1, 2, 3], [25, 35, 40])[0]
        out.append("reviews:\n")
        history = []
        prev_l, prev_c = lik, con
        for _ in range(n_reviews - 1):  # walk back in time from the current rating
            prev_l = max(1, min(inh_l, prev_l + r.choice([-1, 0, 0, 0, 1])))
            history.append((prev_l, prev_c))
        history.reverse()
        history.append((lik, con))
        for index, (hl, hc) in enumerate(history):
            quarter = QUARTERS[LATEST - (n_reviews - 1) + index]
            out.append(f"  - quarter: {quarter}\n    current: {rating(hl, hc)}\n")
            out.append(scalar("note", r.choice(REVIEW_NOTES), 4))
        return "".join(out)

    # objectives -----------------------------------------------------------------------------

    def measure(self, template: tuple, upto: int) -> dict:
        r = self.rng
        mid, name, unit, direction, (lo, hi), target, decimals = template
        base = round(r.uniform(lo, hi), decimals)
        if target is None:  # a relative target: 10-30% better than the baseline
            factor = r.uniform(0.1, 0.3)
            target = base * (1 + factor) if direction == "up" else base * (1 - factor)
        target = round(target, decimals)
        if target == base:
            target = round(base + (1 if direction == "up" else -1) * 10**-decimals, decimals)
        # actuals for Q2..upto: the share of the gap closed each quarter, with noise
        pace = r.choice([0.2, 0.3, 0.33, 0.4, 0.5])
        actuals: dict[int, float] = {}
        for q in range(1, upto + 1):
            if r.random() < 0.15:
                continue  # a missed return
            closed = pace * q + r.uniform(-0.1, 0.1)
            actuals[q] = round(base + (target - base) * closed, decimals)
        return {
            "id": mid,
            "name": name,
            "unit": unit,
            "direction": direction,
            "baseline": base,
            "baseline_q": 0,
            "target": target,
            "actuals": actuals,
            "decimals": decimals,
            "tolerance": r.choice([None, None, None, 0.05, 0.15]),
        }

    def monthly_measure(self, index: int) -> dict:
        """24 months of one measure for objective `index`, from a generator of its own: a drift
        toward the target with month-to-month noise. Never drawn from self.rng, so the repository
        is otherwise the same with or without monthly measures."""
        r = random.Random(f"monthly-{self.seed}-{index}")
        mid, name, unit, direction, (lo, hi), target, noise = MONTHLY_MEASURES[
            index // MONTHLY_EVERY % len(MONTHLY_MEASURES)
        ]
        base = round(r.uniform(lo, hi), 1)
        drift = (target - base) / r.uniform(18, 48)  # the gap closed a month: some reach it by 2022-03 (month 26)
        actuals, level = {}, base
        for month in range(MONTHLY_ACTUALS):
            level += drift
            actuals[month] = round(level + r.gauss(0, noise), 1)
            if direction == "up" and unit == "%":
                actuals[month] = min(actuals[month], 100.0)
            actuals[month] = max(actuals[month], 0.0)
        return {
            "id": mid,
            "name": name,
            "unit": unit,
            "direction": direction,
            "baseline": base,
            "baseline_q": -1,
            "target": target,
            "actuals": actuals,
            "decimals": 1,
            "tolerance": None,
            "monthly": True,
        }

    def objective(self, index: int, taken: set[str]) -> tuple[str, str]:
        # The parts draw from the one random stream in a fixed order: the same seed, the same repository.
        r = self.rng
        trust_code = f"r{index // 50:03d}"  # fifty objectives a trust: ~200 trusts at 10,000
        verbs, topics = r.choice(list(OBJECTIVE_TOPICS.items()))
        topic = r.choice(topics)
        oid = f"{trust_code}-{slug(topic)}"
        suffix = 2
        while oid in taken:
            oid = f"{trust_code}-{slug(topic)}-{suffix}"
            suffix += 1
        taken.add(oid)

        pid, _, _, p_supports = r.choice(PRIORITIES)
        supports = sorted(set(p_supports) if r.random() < 0.7 else {r.choice(STRATEGIC_OBJECTIVES)[0]})
        lead = r.choice(EXECUTIVES)[0]
        risks = sorted(r.sample(self.risk_ids, r.choices([0, 1, 2, 3], [10, 45, 30, 15])[0]))
        # every commitment is delivered by someone
        delivers = {self.commitments[index]} if index < len(self.commitments) else set()
        delivers |= set(r.sample(self.commitments, r.choices([0, 1, 2], [20, 55, 25])[0]))
        due = r.choices([date(2022, 3, 31), date(2021, 12, 31), date(2022, 1, 31), date(2022, 2, 28)], [70, 12, 10, 8])[
            0
        ]
        title = f"{r.choice(verbs)} {topic} {r.choice(OBJECTIVE_TAILS)}"

        # updates: 1-3 quarters ending at the latest quarter (a few objectives are a quarter behind)
        last = LATEST if r.random() > 0.02 else LATEST - 1
        updates = self.progress_history(last, due)
        objective = {"due": due, "updates": updates, "measures": [], "milestones": []}

        if r.random() < 1 / 3:
            for template in r.sample(MEASURES, r.choices([1, 2], [80, 20])[0]):
                objective["measures"].append(self.measure(template, last))
        monthly = self.monthly and index % MONTHLY_EVERY == 0
        if monthly:
            objective["measures"].append(self.monthly_measure(index))
            self.stats["monthly_measures"] += 1
        if r.random() < 0.5:
            objective["milestones"] = self.milestones(due, last)

        out = [
            f"id: {oid}\n",
            scalar("title", title, 0),
            f"year: {MONTHLY_YEAR}\nuntil: {YEAR}\n" if monthly else f"year: {YEAR}\n",
            f"priority: {pid}\n",
            f"supports: {flow(supports)}\n",
            f"lead: {lead}\n",
            f"risks: {flow(risks, quote=True)}\n",
            f"delivers: {flow(sorted(delivers))}\n",
            f"due: {due.isoformat()}\n",
        ]
        if objective["measures"]:
            out.append("measures:\n")
            for m in objective["measures"]:
                out.extend(measure_lines(m))
        if objective["milestones"]:
            out.append("milestones:\n")
            for ms in objective["milestones"]:
                out.append(f"  - title: {ms['title']}\n    due: {ms['due'].isoformat()}\n")
                if ms["done"] is not None:
                    out.append(f"    done: {ms['done'].isoformat()}\n")
        out.append("updates:\n")
        for i, update in enumerate(updates):
            out.extend(self.update_lines(update, computed_position(objective, i)))
        return oid, "".join(out)

    def progress_history(self, last: int, due: date) -> list[dict]:
        """1-3 quarters' progress ending at quarter `last`, each moving on from the one before."""
        r = self.rng
        n_updates = r.choices([1, 2, 3], [10, 25, 65])[0]
        n_updates = min(n_updates, last + 1)
        first = last - n_updates + 1
        updates = []
        progress = None
        for q in range(first, last + 1):
            names, weights = TRANSITIONS[progress]
            progress = r.choices(names, weights)[0]
            if progress == "complete" and q != last:
                progress = "on-track"
            if progress == "complete" and due < QUARTER_END[q]:
                progress = "on-track"
            updates.append({"q": q, "progress": progress})
        return updates

    def milestones(self, due: date, last: int) -> list[dict]:
        """1-4 milestones due by the objective's date, most of those already due done (some late)."""
        r = self.rng
        milestones = []
        for title_m in r.sample(MILESTONES, r.randint(1, 4)):
            m_due = YEAR_START + timedelta(days=r.randint(45, 350))
            m_due = min(m_due, due)
            done = None
            if m_due <= QUARTER_END[last]:
                roll = r.random()
                if roll < 0.75:
                    done = m_due - timedelta(days=r.randint(0, 30))
                elif roll < 0.85:
                    done = m_due + timedelta(days=r.randint(5, 40))
                    if done > QUARTER_END[last]:
                        done = None
            milestones.append({"title": title_m, "due": m_due, "done": done})
        milestones.sort(key=lambda m: m["due"])
        return milestones

    def update_lines(self, update: dict, computed: str) -> list[str]:
        """One update's YAML: its progress, a comment, and mostly the computed position, sometimes another."""
        r = self.rng
        out = [f"  - quarter: {QUARTERS[update['q']]}\n    progress: {update['progress']}\n"]
        out.append(self.folded("comment", self.comment(update["progress"]), 4))
        roll = r.random()
        if computed == "C":
            out.append("    projected: C\n")
        elif roll < 0.05:
            pass  # no declared position: the computed one is reported
        elif roll < 0.86:
            out.append(f"    projected: {computed}\n")
        else:  # the Board's judgement differs from the evidence, almost always with a rationale
            declared = r.choice([p for p in "RAG" if p != computed])
            out.append(f"    projected: {declared}\n")
            if roll < 0.99:
                out.append(scalar("rationale", r.choice(RATIONALES), 4))
        return out

    # the repository -------------------------------------------------------------------------

    def write(self, out_dir: Path) -> dict:
        data = out_dir / "data"
        for kind in ("objectives", "risks", "strategies"):
            (data / kind).mkdir(parents=True, exist_ok=True)
        r = self.rng

        def emit(path: Path, text: str) -> None:
            path.write_text(text, encoding="utf-8", newline="\n")
            self.stats["bytes"] += len(text.encode("utf-8"))

        self.risk_ids = sorted(f"{n:06d}" for n in r.sample(range(100000, 1000000), self.n_risks))
        for rid in self.risk_ids:
            emit(data / "risks" / f"{rid}.yaml", self.risk(rid))
            self.stats["risks"] += 1
        for sid, title, lead, supports, topics in STRATEGIES:
            emit(data / "strategies" / f"{sid}.yaml", self.strategy(sid, title, lead, supports, topics))
            self.stats["strategies"] += 1
        emit(data / "trust.yaml", self.trust())
        taken: set[str] = set()
        for index in range(self.n_objectives):
            oid, text = self.objective(index, taken)
            emit(data / "objectives" / f"{oid}.yaml", text)
            self.stats["objectives"] += 1
        return self.stats


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out_dir", type=Path, help="writes OUT_DIR/data/")
    parser.add_argument("--objectives", type=int, default=10000)
    parser.add_argument("--risks", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--no-monthly", action="store_true", help="leave out the monthly measures (one objective in ten)"
    )
    args = parser.parse_args(argv)
    if args.risks < 1 or args.objectives < 0:
        parser.error("--risks must be at least 1 and --objectives at least 0")
    data = args.out_dir / "data"
    if data.exists() and any(data.iterdir()):
        parser.error(f"{data} exists and is not empty: choose a new OUT_DIR")
    stats = Generator(args.seed, args.objectives, args.risks, monthly=not args.no_monthly).write(args.out_dir)
    files = stats["objectives"] + stats["risks"] + stats["strategies"] + 1
    print(
        f"wrote {files} files ({stats['bytes'] / 1e6:.1f} MB) to {data}: {stats['objectives']} objectives, "
        f"{stats['risks']} risks, {stats['strategies']} strategies, trust.yaml; "
        f"{stats['monthly_measures']} monthly measures",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
