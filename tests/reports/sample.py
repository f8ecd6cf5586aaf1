"""A realistic monthly report: the reference contract's 7 levels, October 2026.

Built by hand as the run would build it, so that every renderer is tested on
the same document: two levels breached, one met thanks to its allowed breach,
a gap with the provider's own figures, maintenance not excused, a failed
backup, priority downgrades and a penalty statement.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

from pilotage.engine.results import PenaltyLine, WindowResult
from pilotage.provenance import InputFile, Provenance
from pilotage.reports.model import (
    AgeingBucket,
    Appendix,
    AvailabilityLevel,
    BackupFailure,
    BackupLevel,
    Breach,
    ContractInfo,
    Deadline,
    HistoryPoint,
    LevelRow,
    MonthlyReport,
    Outage,
    Penalties,
    PersistentBreach,
    PopulationDiff,
    PriorityChange,
    Reclassification,
    Reconciliation,
    ReconciliationRow,
    RestoreTest,
    Summary,
    TraceSegment,
    UnverifiablePauses,
    VerdictDiff,
    VolumeRow,
    Volumes,
    propose_committee_points,
    rag_status,
)

PARIS = ZoneInfo("Europe/Paris")
HASH_V2 = "9f2c4e1a7b3d5f60812a4c6e8b0d2f4a6c8e0b2d4f6a8c0e2b4d6f8a0c2e4b6d"
MONTHS = [f"2025-{m:02d}" for m in (11, 12)] + [f"2026-{m:02d}" for m in range(1, 11)]
OCT_START = int(dt.datetime(2026, 10, 1, tzinfo=PARIS).timestamp())
NOV_START = int(dt.datetime(2026, 11, 1, tzinfo=PARIS).timestamp())
AS_OF = int(dt.datetime(2026, 11, 5, 9, 0, tzinfo=PARIS).timestamp())
D = Decimal


def at(day: int, hour: int, minute: int = 0, month: int = 10) -> int:
    """Epoch seconds of a Paris wall-clock time in 2026."""
    return int(dt.datetime(2026, month, day, hour, minute, tzinfo=PARIS).timestamp())


def _result(
    level_id: str,
    metric: str,
    eligible: int,
    met: int,
    value: Decimal | None,
    objective: Decimal | None,
    status: str,
    allowed: int | None = None,
    details: dict[str, object] | None = None,
) -> WindowResult:
    return WindowResult(
        level_id=level_id,
        window="2026-10",
        start=OCT_START,
        end=NOV_START,
        metric=metric,
        eligible=eligible,
        met=met,
        breached=eligible - met,
        value=value,
        objective=objective,
        allowed_breaches=allowed,
        status=status,  # type: ignore[arg-type]
        finality="final",
        terms_hash=HASH_V2,
        details=details or {},
    )


def _history(objective: Decimal | None, values: list[str | None]) -> tuple[HistoryPoint, ...]:
    points = []
    for window, text in zip(MONTHS, values, strict=True):
        value = None if text is None else D(text)
        if value is None or objective is None:
            status = "no_data" if value is None else "met"
        else:
            status = "met" if value >= objective else "breached"
        points.append(HistoryPoint(window, value, objective, status))  # type: ignore[arg-type]
    return tuple(points)


LEVELS = (
    # id, name, ref, metric, target, calendar, eligible, met, objective, allowed, penalty, history
    (
        "p1-response",
        "Prise en charge des incidents critiques",
        "Annexe 2, art. 3.1",
        "response_time",
        "30min",
        "business",
        6,
        5,
        D("0.95"),
        None,
        D("150.00"),
        [None, None, "1", "1", "0.75", "1", "1", "1", "1", "1", "0.8", None],
    ),
    (
        "p1-resolution",
        "Rétablissement des incidents critiques",
        "Annexe 2, art. 3.2",
        "resolution_time",
        "3h",
        "business",
        6,
        5,
        D("0.95"),
        1,
        D("0.00"),
        [None, None, "1", "0.5", "1", "1", "0.8", "1", "1", "1", "1", None],
    ),
    (
        "p2-resolution",
        "Rétablissement des incidents majeurs",
        "Annexe 2, art. 3.3",
        "resolution_time",
        "8h",
        "business",
        24,
        20,
        D("0.90"),
        None,
        D("153.00"),
        [None, None, "0.8", "0.85", "0.92", "0.95", "0.9", "0.91", "0.93", "0.875", "0.9333", None],
    ),
    (
        "requests",
        "Traitement des demandes",
        "Annexe 2, art. 3.5",
        "resolution_time",
        "3d",
        "business",
        142,
        131,
        D("0.90"),
        None,
        D("0.00"),
        [None, None, "0.88", "0.91", "0.94", "0.95", "0.93", "0.96", "0.9", "0.94", "0.93", None],
    ),
)


def _levels() -> tuple[LevelRow, ...]:
    rows = []
    for lid, name, ref, metric, target, cal, elig, met, obj, allowed, pen, hist in LEVELS:
        value = D(met) / D(elig)
        ok = value >= obj or (allowed is not None and elig - met <= allowed)
        result = _result(lid, metric, elig, met, value, obj, "met" if ok else "breached", allowed)
        history = _history(obj, [*hist[:-1], str(value)])
        rows.append(LevelRow(result, name, ref, target, cal, rag_status(result), pen, history))
    mail = _result(
        "mail-availability",
        "availability",
        0,
        0,
        D(1) - D(4920) / D(2682000),
        D("0.995"),
        "met",
        details={"measured_seconds": 2682000, "downtime_seconds": 4920, "outages": 3},
    )
    rows.append(
        LevelRow(
            mail,
            "Disponibilité de la messagerie",
            "Annexe 2, art. 4.1",
            "",
            "always",
            rag_status(mail),
            D("0.00"),
            _history(
                D("0.995"),
                [
                    None,
                    None,
                    "0.9991",
                    "1",
                    "0.9987",
                    "0.9962",
                    "1",
                    "0.9999",
                    "0.9931",
                    "1",
                    "0.9995",
                    str(mail.value),
                ],
            ),
        )
    )
    backups = _result("backups", "backup_success", 31, 30, D(30) / D(31), D("0.98"), "breached")
    rows.append(
        LevelRow(
            backups,
            "Sauvegardes réussies",
            "Annexe 2, art. 5.1",
            "",
            "",
            rag_status(backups),
            D("31.26"),
            _history(
                D("0.98"),
                [None, None, "1", "1", "0.9677", "1", "1", "1", "1", "1", "1", str(D(30) / D(31))],
            ),
        )
    )
    restore = _result("restore-tests", "restore_test", 1, 1, D(1), None, "met")
    rows.append(
        LevelRow(
            restore,
            "Tests de restauration",
            "Annexe 2, art. 5.2",
            "6mo",
            "",
            rag_status(restore),
            D("0.00"),
            _history(None, [None, None, None, None, None, None, None, "1", None, None, None, "1"]),
        )
    )
    return tuple(rows)


TITLES = [
    "Serveur de fichiers inaccessible au siège",
    "Caisse bloquée boutique de Lille Wazemmes",
    "Messagerie : envoi impossible depuis Outlook",
    "VPN en panne pour le site de Roubaix",
    "=cmd|' /C calc'!A0",
    "Imprimante du laboratoire hors service",
    "Création de compte pour une nouvelle vendeuse",
    "<script>alert('x')</script> poste lent",
    "Installation du logiciel de paie sur un poste",
    "Accès au dossier partagé Comptabilité",
    "+33 6 12 34 56 78 ne reçoit plus les appels",
    "Remplacement d'un écran défectueux",
    "-Droits d'accès ERP à retirer",
    "@Commande de toner pour le magasin de Tourcoing",
    "Déplacement d'un poste au service Qualité",
    "Renouvellement du certificat du site web",
    "Configuration d'un smartphone professionnel",
]

BREACH_LEVELS = ["p1-response", "p1-resolution"] + ["p2-resolution"] * 4 + ["requests"] * 11
TARGETS = {"p1-response": 1800, "p1-resolution": 10800, "p2-resolution": 28800, "requests": 97200}
PRIORITY = {"p1-response": "P1", "p1-resolution": "P1", "p2-resolution": "P2", "requests": "P3"}


def _breach(index: int, level_id: str) -> Breach:
    day = 1 + (index * 3) % 27
    while dt.date(2026, 10, day).weekday() >= 5:
        day += 1
    created = at(day, 9, 15 + index % 40)
    target = TARGETS[level_id]
    paused = 0 if index % 3 else 3600 + 600 * index
    excess = 1200 + 900 * index
    elapsed = target + excess
    first = min(elapsed, 3 * 3600 + 15 * 60)
    segments = [TraceSegment(created, created + first, "open", "", first)]
    cursor = created + first
    if paused:
        segments.append(TraceSegment(cursor, cursor + paused, "paused", "waiting_customer", 0))
        cursor += paused
    if elapsed > first:
        overnight = 15 * 3600 + 45 * 60
        segments.append(TraceSegment(cursor, cursor + overnight, "open", "", 0))
        cursor += overnight
        segments.append(TraceSegment(cursor, cursor + elapsed - first, "open", "", elapsed - first))
        cursor += elapsed - first
    stopped = None if index == 16 else cursor
    if stopped is not None:
        segments.append(TraceSegment(cursor, cursor, "resolved", "", 0))
    return Breach(
        ticket_id=f"GLPI-{48210 + index * 7}",
        level_id=level_id,
        title=TITLES[index % len(TITLES)],
        kind="request" if level_id == "requests" else "incident",
        priority=PRIORITY[level_id],
        created_at=created,
        stopped_at=stopped,
        target_seconds=target,
        elapsed_seconds=elapsed,
        paused_seconds=paused,
        segments=tuple(segments),
        pause_verifiable=index != 9,
        waived=index == 12,
    )


def _penalties() -> Penalties:
    lines = (
        PenaltyLine(
            "p1-response",
            "2026-10",
            "per_breach",
            {"breaches": 1, "per_breach": D("150"), "level_cap": D("1500")},
            D("150"),
            D("150"),
            D("150"),
            D("150.00"),
        ),
        PenaltyLine(
            "p2-resolution",
            "2026-10",
            "per_point_below",
            {
                "objective": D("0.90"),
                "value": D(20) / D(24),
                "points_below": D("6.666666666666666666666666667"),
                "rate_per_point": D("0.005"),
                "fee": D("5100"),
                "level_cap": D("153"),
            },
            D("170.0000000000000000000000000"),
            D("153"),
            D("153"),
            D("153.00"),
            ("level_cap",),
        ),
        PenaltyLine(
            "backups",
            "2026-10",
            "per_point_below",
            {
                "objective": D("0.98"),
                "value": D(30) / D(31),
                "points_below": D("1.225806451612903225806451610"),
                "rate_per_point": D("0.005"),
                "fee": D("5100"),
                "level_cap": D("102"),
            },
            D("31.25806451612903225806451606"),
            D("31.25806451612903225806451606"),
            D("31.25806451612903225806451606"),
            D("31.26"),
        ),
    )
    return Penalties(
        lines=lines,
        basis=D("5100"),
        monthly_cap=D("765"),
        grace=False,
        grace_until=dt.date(2026, 2, 28),
        claim_by=dt.date(2026, 12, 31),
    )


def sample_report(breach_count: int = 17) -> MonthlyReport:
    """The October 2026 report; ``breach_count`` repeats breaches for load tests."""
    levels = list(_levels())
    penalties = _penalties()
    due = {line.level_id: line.amount for line in penalties.lines}
    levels = [
        LevelRow(
            r.result,
            r.name,
            r.ref,
            r.target,
            r.calendar,
            r.rag,
            due.get(r.id, D("0.00")),
            r.history,
        )
        for r in levels
    ]
    breaches = tuple(_breach(i, BREACH_LEVELS[i % len(BREACH_LEVELS)]) for i in range(breach_count))
    summary = Summary(
        due_this_month=penalties.capped_total,
        due_year_to_date=D("1187.40"),
        credited_year_to_date=D("520.00"),
        deadlines=(
            Deadline("report", dt.date(2026, 11, 6), "2026-10"),
            Deadline("committee", dt.date(2026, 11, 12), "Comité de suivi"),
            Deadline("claim", dt.date(2026, 12, 31), "2026-10"),
            Deadline("notice", dt.date(2028, 9, 30), "2028-12-31"),
        ),
        persistent=(
            PersistentBreach("p1-response", 2, 3, 2, False),
            PersistentBreach("p2-resolution", 2, 3, 1, False),
        ),
    )
    reconciliation = Reconciliation(
        rows=(
            ReconciliationRow(
                "p1-response", "2026-10", 6, 6, D(1), 6, 5, D(5) / D(6), ("clock_start",)
            ),
            ReconciliationRow(
                "p1-resolution", "2026-10", 6, 6, D(1), 6, 5, D(5) / D(6), ("pause",)
            ),
            ReconciliationRow(
                "p2-resolution",
                "2026-10",
                22,
                20,
                D(20) / D(22),
                24,
                20,
                D(20) / D(24),
                ("missing_provider", "pause", "holiday"),
            ),
            ReconciliationRow(
                "requests",
                "2026-10",
                142,
                135,
                D(135) / D(142),
                142,
                131,
                D(131) / D(142),
                ("calendar",),
            ),
            ReconciliationRow(
                "mail-availability",
                "2026-10",
                None,
                None,
                D("0.9994"),
                0,
                0,
                levels[4].result.value,
                ("unexplained",),
            ),
        ),
        population=(
            PopulationDiff("missing_provider", 2, ("GLPI-48377", "GLPI-48391")),
            PopulationDiff("reclassified", 2, ("GLPI-48302", "GLPI-48415")),
            PopulationDiff("cancelled", 3, ("GLPI-48255", "GLPI-48260", "GLPI-48401")),
        ),
        verdicts=(
            VerdictDiff("GLPI-48210", "p1-response", True, False, "clock_start"),
            VerdictDiff("GLPI-48217", "p1-resolution", True, False, "pause"),
            VerdictDiff("GLPI-48224", "requests", True, False, "calendar"),
            VerdictDiff("GLPI-48231", "requests", True, False, "holiday"),
        ),
    )
    unverifiable = UnverifiablePauses(
        4, 25200, ("GLPI-48273", "GLPI-48288", "GLPI-48330", "GLPI-48352")
    )
    priority_changes = (
        PriorityChange(
            "GLPI-48302", TITLES[3], at(7, 10, 5), "P1", "P2", "down", ("p1-resolution",)
        ),
        PriorityChange(
            "GLPI-48316", TITLES[5], at(14, 16, 40), "P2", "P3", "down", ("p2-resolution",)
        ),
        PriorityChange(
            "GLPI-48344", TITLES[2], at(21, 8, 55), "P3", "P2", "up", ("p2-resolution",)
        ),
    )
    reclassifications = (
        Reclassification("GLPI-48302", TITLES[3], "kind", "incident", "request"),
        Reclassification("GLPI-48415", TITLES[6], "service", "postes", "erp"),
    )
    availability = (
        AvailabilityLevel(
            "mail-availability",
            "messagerie",
            2682000,
            4920,
            7200,
            levels[4].result.value,
            D("0.995"),
            (
                Outage("messagerie", at(8, 10, 12), at(8, 11, 4), "down", 3120),
                Outage(
                    "messagerie", at(17, 22, 0), at(18, 0, 0), "maintenance", 0, at(14, 9, 30), True
                ),
                Outage(
                    "messagerie",
                    at(24, 21, 0),
                    at(24, 21, 30),
                    "maintenance",
                    1800,
                    at(23, 18, 0),
                    False,
                    "late_notice",
                ),
            ),
        ),
    )
    backups = (
        BackupLevel(
            "backups",
            "sauvegarde",
            31,
            29,
            1,
            1,
            0,
            D(30) / D(31),
            D("0.98"),
            (BackupFailure("sauvegarde", at(19, 22, 0), "failed"),),
        ),
    )
    restore_tests = (
        RestoreTest(
            "sauvegarde", dt.date(2026, 6, 12), "success", 9900, True, dt.date(2026, 12, 12), False
        ),
    )
    volumes = Volumes(
        rows=(
            VolumeRow("incident", "P1", 6, 6, 0),
            VolumeRow("incident", "P2", 25, 24, 1),
            VolumeRow("incident", "P3", 84, 79, 7),
            VolumeRow("incident", "P4", 41, 36, 6),
            VolumeRow("request", "P3", 150, 142, 14),
            VolumeRow("request", "P4", 38, 35, 5),
        ),
        ageing=(
            AgeingBucket(0, 2, 15),
            AgeingBucket(3, 7, 10),
            AgeingBucket(8, 30, 6),
            AgeingBucket(31, None, 2),
        ),
        cancelled=3,
        merged=2,
        out_of_scope=9,
    )
    committee = propose_committee_points(
        levels,
        summary,
        reconciliation,
        unverifiable,
        priority_changes,
        availability,
        backups,
        restore_tests,
    )
    provenance = Provenance(
        contract_id="martin-nordinfo",
        contract_versions=[{"effective": "2026-07-01", "hash": HASH_V2}],
        inputs=[
            InputFile("tickets", "glpi-tickets-2026-10.csv", "3b1f" + "0" * 56 + "a9c2"),
            InputFile("events", "glpi-historique-2026-10.csv", "77d0" + "1" * 56 + "0b4e"),
            InputFile("outages", "uptime-kuma-12.csv", "c4e5" + "2" * 56 + "11f3"),
            InputFile("backups", "veeam-jobs-2026-10.csv", "0a9b" + "3" * 56 + "5d6e"),
            InputFile("claims", "rapport-nordinfo-2026-10.csv", "e1e2" + "4" * 56 + "7c7d"),
        ],
        as_of="2026-11-05T08:00:00Z",
        versions={"pilotage": "0.1.0", "tzdata": "2025.2", "holidays": "0.101", "numpy": "2.1.3"},
    )
    return MonthlyReport(
        contract=ContractInfo(
            id="martin-nordinfo",
            title="Infogérance du système d'information",
            ref="Contrat n° NI-2025-118 du 15/12/2025",
            customer="Boulangeries Martin SAS",
            provider="NordInfo Services",
            timezone="Europe/Paris",
            currency="EUR",
            monthly_fee=D("5100"),
            version=HASH_V2,
            effective=dt.date(2026, 7, 1),
            amendments=("avenant-1",),
        ),
        period="2026-10",
        period_start=dt.date(2026, 10, 1),
        period_end=dt.date(2026, 10, 31),
        as_of=AS_OF,
        finality="final",
        summary=summary,
        levels=tuple(levels),
        reconciliation=reconciliation,
        breaches=breaches,
        unverifiable=unverifiable,
        priority_changes=priority_changes,
        reclassifications=reclassifications,
        availability=availability,
        backups=backups,
        restore_tests=restore_tests,
        volumes=volumes,
        penalties=penalties,
        committee=committee,
        appendix=Appendix(
            formulas=(
                "compliance",
                "business_time",
                "availability",
                "backup_success",
                "per_breach",
                "per_point_below",
                "bands",
                "caps",
                "grace",
            ),
            options=(
                ("priorities.basis", "final"),
                ("measurement.unknown_pause_reason", "counts"),
                ("measurement.reopen", "resumes"),
                ("measurement.major_incident_counts_once", "true"),
                ("penalties.monthly_cap", "15%"),
                ("penalties.grace_months", "2"),
            ),
        ),
        provenance=provenance,
    )
