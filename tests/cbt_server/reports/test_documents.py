"""Every report of a scripted session: the printed figures, the pages, the QR code, inert text."""

from __future__ import annotations

import math
import re
import subprocess
from fractions import Fraction

import pytest
from pypdf import PdfReader

from cbt_server.errors import InvalidInputError, NotFoundError
from cbt_server.reports import ReportKind, ReportOptions, ReportService
from cbt_server.reports.layout import ZONES, moment
from cbt_server.services.scoring_desk import responses_for_scoring
from question_bank.form import form_from_json
from question_bank.richtext import plain_text
from scoring import AttemptResponses, ScoringPlan, analyse
from tests.cbt_server.reports.conftest import (
    DOCUMENTS,
    PUBLIC_URL,
    render_pages,
    squeezed,
    text_of,
    tool,
)
from tests.cbt_server.reports.scenario import (
    HOSTILE_INCIDENT,
    HOSTILE_NAME,
    HOSTILE_NUMBER,
    HOSTILE_REASON,
)

WIB = ZONES["WIB"]


def _attempts(rendered):
    rt = rendered.scripted.rt
    return {a.number: a for a in rt.results.attempts(rt.proctors.session("S1"))}


def test_a_slip_prints_the_committed_result(rendered) -> None:
    rt = rendered.scripted.rt
    siti = _attempts(rendered)["20260002"]
    record = rt.results.session_record(rt.proctors.session("S1"))
    sitting = next(s for s in record.sittings if s.number == "20260002")
    [page] = rendered.pages["slip-siti"]
    for expected in (
        "SLIP HASIL UJIAN",
        f"Nomor: {siti.slip}",
        "Nomor Peserta Participant number 20260002",
        "Nama Name Siti Aminah",
        "Tanggal Lahir Date of birth 11 Februari 1991",
        "Formasi Position Analis Kebijakan",
        "Jalur Track Umum",
        "S1 · Ruang R1",
        f"{moment(sitting.submitted_ms, WIB)} (diserahkan oleh peserta)",
        "TWK Tes Wawasan Kebangsaan 100 150 65 20 / 30 Memenuhi",
        "TIU Tes Intelegensia Umum 120 175 80 24 / 35 Memenuhi",
        "TKP Tes Karakteristik Pribadi 180 225 166",
        "TOTAL 400 550",
        "MEMENUHI AMBANG BATAS",
        f"{PUBLIC_URL}/verify/{siti.slip}",
        "SAH (valid)",
        "Peserta Candidate ( Siti Aminah ) No. Peserta 20260002",
        "Pengawas Ujian Proctor ( Pengawas Satu )",
        "Halaman 1 dari 1",
    ):
        assert expected in page, expected
    head = rendered.head
    assert f"#{head.seq} · {head.short}" in page  # the chain head when it was generated


def test_the_slips_of_a_session_take_one_page_each(rendered) -> None:
    scored = {n: a for n, a in _attempts(rendered).items() if a.report is not None}
    pages = rendered.pages["slip"]
    assert len(pages) == len(scored) == 10
    for page, (number, attempt) in zip(pages, sorted(scored.items()), strict=True):
        assert f"Participant number {number}" in page
        assert f"Nomor: {attempt.slip}" in page
        assert "Halaman 1 dari 1" in page
    failing = next(p for p in pages if "Participant number 20260007" in p)
    assert "TIDAK MEMENUHI AMBANG BATAS" in failing
    assert "(diakhiri oleh pengawas)" in failing


def test_the_qr_code_opens_the_verify_page(rendered, tmp_path) -> None:
    slip = _attempts(rendered)["20260002"].slip
    [png] = render_pages(rendered.path("slip-siti"), tmp_path, dpi=150, first=1)
    decoded = subprocess.run(
        [tool("zbarimg"), "--raw", "-q", "-Sdisable", "-Sqrcode.enable", str(png)],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout.split()
    assert decoded == [f"{PUBLIC_URL}/verify/{slip}"]


def test_feedback_explains_an_unsuccessful_outcome_and_what_to_improve(rendered) -> None:
    text = rendered.text("feedback-rina")
    for expected in (
        "LAPORAN UMPAN BALIK HASIL UJIAN",
        "Rina Marlina",
        "TIDAK MEMENUHI AMBANG BATAS",
        "Hasil Anda belum memenuhi ambang batas jalur Umum",
        "TWK minimal 65, TIU minimal 80 dan TKP minimal 166",
        "nilai Anda 50, kurang 15 poin dari ambang batas 65",
        "setara dengan 3 jawaban benar lagi",
        "nilai Anda 75, kurang 5 poin dari ambang batas 80",
        "setara dengan 1 jawaban benar lagi",
        "Yang sudah memenuhi ambang batas: TKP (170 ≥ 166)",
        "Anda tidak memperoleh 255 poin: TWK 100, TIU 100 dan TKP 55",
        "Utamakan TWK",
        "Utamakan TIU",
        "Anda mengosongkan 5 soal (TWK 2 dan TIU 3)",
        "dihitung dari 10 peserta sesi S1",
    ):
        assert expected in text, expected
    assert text.index("Utamakan TWK") < text.index("Utamakan TIU")  # the bigger gap first


def test_feedback_compares_every_topic_with_the_session_average(rendered) -> None:
    reports = [a.report for a in _attempts(rendered).values() if a.report is not None]
    rina = _attempts(rendered)["20260010"].report
    text = rendered.text("feedback-rina")
    for section, data in rina["sections"].items():
        for topic, mine in data["topics"].items():
            shares = [
                Fraction(r["sections"][section]["topics"][topic]["score"])
                / Fraction(r["sections"][section]["topics"][topic]["max"])
                for r in reports
            ]
            # Percentages round half up from the exact value: 57.5 % is 58 % everywhere.
            average = math.floor(100 * sum(shares) / len(shares) + Fraction(1, 2))
            share = math.floor(
                100 * Fraction(mine["score"]) / Fraction(mine["max"]) + Fraction(1, 2)
            )
            row = f"{mine['correct']} / {mine['items']} {share}% {average}%"
            assert row in text, (section, topic, row)


def test_feedback_for_a_successful_candidate_says_what_comes_next(rendered) -> None:
    text = rendered.text("feedback-made")
    assert "Hasil Anda memenuhi ambang batas jalur Lulusan Cumlaude" in text
    assert "total minimal 311 dan TIU minimal 85" in text
    assert "paling banyak 3 kali jumlah formasi" in text
    assert "Utamakan" not in text  # nothing is below a threshold
    assert len(rendered.pages["feedback"]) >= 10  # every scored candidate, each its own pages


def test_the_minutes_count_attendance_and_list_every_incident_and_action(rendered) -> None:
    rt = rendered.scripted.rt
    text = rendered.text("minutes")
    for expected in (
        "BERITA ACARA PELAKSANAAN UJIAN",
        "Nomor: BA/S1/SITE-UJI/2026",
        "Pada hari ini, Selasa, 24 November 2026, bertempat di Lokasi Tes Uji, Ruang R1",
        "Jadwal mulai Scheduled start 24-11-2026 07:30:00 WIB",
        "Durasi ujian Exam duration 100 menit",
        "Pengawas Proctors Pengawas Satu (pengawas1)",
        "Peserta terdaftar Registered 11",
        "Hadir Present (logged in) 10",
        "Tidak hadir Absent 1",
        "Selesai Finished 10",
        "Memenuhi ambang batas Met the thresholds 7",
        "Tidak memenuhi ambang batas Did not meet the thresholds 3",
        "20260005 Rudi Hartono - - - TIDAK HADIR",
        "keluar dari aplikasi ujian (focus_lost)",
        "Komputer PC-03",
        "Kursi dilepas (pindah komputer) 20260001 Budi Santoso",
        "Ujian dijeda semua peserta alasan: gangguan jaringan",
        "Ujian dilanjutkan semua peserta alasan: jaringan pulih",
        "Perpanjangan waktu 20260009 Joko Prasetyo +10 menit",
        "Komputer dikunci 20260009 Joko Prasetyo alasan: membuka aplikasi lain",
        "Ujian diakhiri oleh pengawas 20260007 Agus Salim alasan: peserta sakit",
        "Pesan kepada peserta semua peserta pesan: “Sisa waktu 10 menit”",
        "Sesi ditutup",
        "Demikian berita acara ini dibuat dengan sebenarnya",
        "Koordinator Lokasi",
    ):
        assert expected in text, expected
    closing = [e for e in rt.audit.entries(rt.db) if e["event"] == "session_closed"]
    assert len(closing) == 1
    assert f"entri #{closing[0]['seq']}, {moment(closing[0]['at_ms'], WIB)}" in text
    assert str(closing[0]["hash"]) in squeezed(text)  # printed in groups of eight


def test_the_ranking_shows_the_order_ties_quota_line_and_rules(rendered) -> None:
    pages = rendered.pages["ranking"]
    analis = next(p for p in pages if "Formasi Position Analis Kebijakan" in p)
    order = ["20260006", "20260002", "20260004", "GARIS KUOTA (3)", HOSTILE_NUMBER, "20260008"]
    places = [analis.index(x) for x in order]
    assert places == sorted(places)
    for expected in (
        "Kuota lanjut Quota to go on 3 peserta (3 × 1 formasi)",
        "Urutan penentuan Ranking order Total → TKP → TIU → TWK",
        "20260006 Dewi Sartika Umum 95 120 185 400 - Total sama; TKP 185 > 180",
        "20260002 Siti Aminah Umum 100 120 180 400 1 SERI: sama pada semua aturan",
        "20260004 Ani Lestari Umum 100 120 180 400 1 Total 400 > 390",
        "Total 390 > 360",
        "Tidak Diperingkat",
        "20260010 Rina Marlina Umum 295 Tidak memenuhi ambang batas jalurnya: "
        "TWK 50 di bawah ambang batas 65; TIU 75 di bawah ambang batas 80",
    ):
        assert expected in analis, expected
    assert re.search(r"\b2 20260002 .* \b2 20260004 ", analis)  # the tie shares place 2
    pranata = next(p for p in pages if "Formasi Position Pranata Komputer" in p)
    assert "20260003 Made Wirawan Lulusan Cumlaude 120 140 200 460 - Total 460 > 430" in pranata
    assert "GARIS KUOTA (3)" in pranata
    assert "semua peserta yang diperingkat" in pranata


def test_the_item_analysis_covers_every_presented_item_and_no_stem(rendered) -> None:
    rt = rendered.scripted.rt
    info = rt.proctors.session("S1")
    exam = rt.exams.get(info.exam_id)
    presented = {
        item.item_id
        for a in rt.results.attempts(info)
        if a.report is not None
        for item in form_from_json(a.form_json.encode()).items
    }
    text = rendered.text("items")
    flat = squeezed(text)
    assert "LAPORAN ANALISIS BUTIR SOAL" in text
    assert "Peserta dianalisis Candidates analysed 10 peserta" in text
    assert f"{len(presented)} dari {len(exam.keys)} butir di bank" in text
    assert "kurang dari 20" in text  # the small-sample warning
    assert "TWK · Tes Wawasan Kebangsaan 10 30" in text
    assert "KR-20" in text
    for item_id in presented:
        assert item_id in text, item_id
        stem = squeezed(plain_text(exam.bank.items[item_id].stem))[:40]
        assert stem not in flat, item_id
    assert "Pancasila" in text
    assert "Bhinneka tunggal ika" in text


def test_the_items_flagged_for_review_are_the_analysis_flags(rendered) -> None:

    rt = rendered.scripted.rt
    info = rt.proctors.session("S1")
    exam = rt.exams.get(info.exam_id)
    rows = []
    for a in rt.results.attempts(info):
        form = form_from_json(a.form_json.encode())
        rows.append(
            AttemptResponses(
                a.number,
                responses_for_scoring([i.item_id for i in form.items], a.answers),
                frozenset(i.item_id for i in form.items),
            )
        )
    stats = analyse(plan=ScoringPlan(exam.policy, exam.keys), attempts=rows).items
    review = {"too_easy", "too_hard", "negative_discrimination", "distractor_beats_key"}
    flagged = [s for s in stats if review & set(s.flags)]
    assert flagged, "the scenario makes some items misbehave"
    counts = {f: sum(1 for s in stats if f in s.flags) for f in sorted(review)}
    text = rendered.text("items")
    assert (
        f"{len(flagged)} butir: terlalu mudah {counts['too_easy']}, terlalu sukar "
        f"{counts['too_hard']}, daya beda negatif {counts['negative_discrimination']}, "
        f"pengecoh melebihi kunci {counts['distractor_beats_key']}"
    ) in text
    review_part = text[text.index("C. Butir yang Perlu Ditinjau") : text.index("D. Rincian")]
    assert sorted(re.findall(r"\b(?:TWK|TIU|TKP)-[A-Z]+-\d+\b", review_part)) == sorted(
        s.item_id for s in flagged
    )


def test_hostile_text_prints_as_written_in_every_document(rendered) -> None:
    for name in ("slip", "feedback", "minutes", "ranking"):
        flat = squeezed(rendered.text(name))
        assert squeezed(HOSTILE_NAME) in flat, name
        assert "&amp;" not in flat, name  # escaped once for the parser, never twice
        assert "&lt;" not in flat, name
    minutes = squeezed(rendered.text("minutes"))
    assert squeezed(HOSTILE_INCIDENT) in minutes
    assert squeezed(HOSTILE_REASON) in minutes
    assert squeezed("Alt+Tab <b>ke</b> browser") in minutes


def test_every_page_renders(rendered, tmp_path) -> None:
    for name in DOCUMENTS:
        pages = len(PdfReader(rendered.path(name)).pages)
        pngs = render_pages(rendered.path(name), tmp_path / name, dpi=60)
        assert len(pngs) == pages >= 1, name
        assert all(p.stat().st_size > 2000 for p in pngs), name


def test_fonts_are_embedded(rendered) -> None:
    for name in DOCUMENTS:
        fonts = set()
        for page in PdfReader(rendered.path(name)).pages:
            for ref in page["/Resources"]["/Font"].values():
                font = ref.get_object()
                fonts.add(str(font["/BaseFont"]).split("+")[-1])
                assert "/FontFile2" in font["/FontDescriptor"], (name, font["/BaseFont"])
        assert fonts <= {"DejaVuSans", "DejaVuSans-Bold", "DejaVuSans-Oblique"}, (name, fonts)


def test_times_follow_the_chosen_zone(rendered) -> None:
    rt = rendered.scripted.rt
    pdf = ReportService(rt).render(
        ReportKind.MINUTES, rt.proctors.session("S1"), ReportOptions(zone="WITA")
    )
    text = " ".join(text_of(pdf))
    assert "Jadwal mulai Scheduled start 24-11-2026 08:30:00 WITA" in text
    with pytest.raises(InvalidInputError):
        ReportService(rt).render(
            ReportKind.MINUTES, rt.proctors.session("S1"), ReportOptions(zone="UTC")
        )


def test_refusals_name_what_is_missing(rendered) -> None:
    rt = rendered.scripted.rt
    service, info = ReportService(rt), rt.proctors.session("S1")
    with pytest.raises(NotFoundError, match="20260005 has no attempt"):
        service.render(ReportKind.SLIP, info, ReportOptions(candidate="20260005"))
    with pytest.raises(NotFoundError, match="formation 'Dokter'"):
        service.render(ReportKind.RANKING, info, ReportOptions(formation="Dokter"))
    with pytest.raises(InvalidInputError, match="vacancies"):
        service.render(ReportKind.RANKING, info, ReportOptions(vacancies=0))
    with pytest.raises(InvalidInputError, match="public URL"):
        service.render(ReportKind.SLIP, info, ReportOptions(public_url="javascript:alert(1)"))
