"""The one place that turns a ``ClientError`` into words for the candidate (and a dialog).

Each error class, with its fields, becomes one or two plain sentences: what
happened and what to do. Server refusals this station does not know by code
fall back to the server's own message, which is written for people too.
"""

from __future__ import annotations

from dataclasses import dataclass

from cbt_client import errors as e
from cbt_client.ui.qt import QCoreApplication, QMessageBox, Qt, QWidget

translate = QCoreApplication.translate


@dataclass(frozen=True, slots=True)
class Notice:
    title: str
    text: str
    #: "error" (refused; do something), "warning" (wait, nothing is lost), "info".
    tone: str = "error"


def duration(seconds: int) -> str:
    minutes, secs = divmod(max(0, seconds), 60)
    if minutes and secs:
        return (
            translate("ErrorDialogs", "%1 menit %2 detik")
            .replace("%1", str(minutes))
            .replace("%2", str(secs))
        )
    if minutes:
        return translate("ErrorDialogs", "%1 menit").replace("%1", str(minutes))
    return translate("ErrorDialogs", "%1 detik").replace("%1", str(secs))


def describe(error: BaseException) -> Notice:
    """The notice for ``error`` in the current language."""
    if isinstance(error, e.WrongPinError):
        if error.retry_after_s:
            return Notice(
                translate("ErrorDialogs", "Login dikunci sementara"),
                translate(
                    "ErrorDialogs",
                    "PIN salah terlalu sering. Coba lagi dalam %1, atau hubungi pengawas.",
                ).replace("%1", duration(error.retry_after_s)),
            )
        if error.attempts_left is not None:
            return Notice(
                translate("ErrorDialogs", "Nomor peserta atau PIN salah"),
                translate(
                    "ErrorDialogs", "Periksa kembali kartu peserta Anda. Sisa percobaan: %1."
                ).replace("%1", str(error.attempts_left)),
            )
        return Notice(
            translate("ErrorDialogs", "Nomor peserta atau PIN salah"),
            translate("ErrorDialogs", "Periksa kembali kartu peserta Anda."),
        )
    if isinstance(error, e.CandidateLockedError):
        return Notice(
            translate("ErrorDialogs", "Login dikunci sementara"),
            translate(
                "ErrorDialogs",
                "PIN salah berulang kali. Coba lagi dalam %1, atau hubungi pengawas.",
            ).replace("%1", duration(error.retry_after_s or 0)),
        )
    if isinstance(error, e.WrongSessionTokenError):
        return Notice(
            translate("ErrorDialogs", "Token sesi salah"),
            translate(
                "ErrorDialogs",
                "Token salah atau sudah berganti. Ketik token yang sedang ditampilkan pengawas.",
            ),
        )
    if isinstance(error, e.SeatInUseError):
        return Notice(
            translate("ErrorDialogs", "Ujian terbuka di komputer lain"),
            translate(
                "ErrorDialogs",
                "Ujian Anda sedang terbuka di komputer lain. Minta pengawas melepaskan kursi "
                "Anda, lalu masuk lagi di sini.",
            ),
        )
    if isinstance(error, e.SessionNotOpenError):
        return Notice(
            translate("ErrorDialogs", "Sesi belum dibuka"),
            translate("ErrorDialogs", "Sesi ujian Anda belum dibuka. Tunggu pengumuman pengawas."),
            "warning",
        )
    if isinstance(error, e.SignedOutError):
        return Notice(
            translate("ErrorDialogs", "Silakan masuk kembali"),
            translate(
                "ErrorDialogs",
                "Login di komputer ini tidak berlaku lagi (kursi dilepas pengawas atau Anda "
                "masuk di komputer lain). Jawaban yang sudah tersimpan tetap aman.",
            ),
            "warning",
        )
    if isinstance(error, e.TimeOverError):
        return Notice(
            translate("ErrorDialogs", "Waktu habis"),
            translate("ErrorDialogs", "Waktu ujian telah habis; jawaban tidak dapat diubah lagi."),
        )
    if isinstance(error, e.WrongUnlockCodeError):
        return Notice(
            translate("ErrorDialogs", "Kode buka salah"),
            translate("ErrorDialogs", "Minta kode buka yang baru kepada pengawas."),
        )
    if isinstance(error, e.ServerBusyError):
        return Notice(
            translate("ErrorDialogs", "Server sedang sibuk"),
            translate(
                "ErrorDialogs",
                "Server belum dapat menyimpan. Jawaban Anda aman di komputer ini; coba lagi.",
            ),
            "warning",
        )
    if isinstance(error, e.ServerRefusedError):
        return Notice(translate("ErrorDialogs", "Server menolak permintaan"), error.message)
    if isinstance(error, e.ServerUnreachableError):
        return Notice(
            translate("ErrorDialogs", "Server tidak dapat dihubungi"),
            translate(
                "ErrorDialogs",
                "Komputer ini belum tersambung ke server ujian. Jawaban Anda aman di komputer "
                "ini. Coba lagi, atau hubungi pengawas.",
            ),
            "warning",
        )
    if isinstance(error, e.UntrustedServerError):
        return Notice(
            translate("ErrorDialogs", "Server tidak dikenal"),
            translate(
                "ErrorDialogs",
                "Sertifikat server tidak cocok dengan yang dipasang di komputer ini, jadi tidak "
                "ada data yang dikirim. Hubungi pengawas.",
            ),
        )
    if isinstance(error, e.PracticeOnlyError):
        # The server refuses it with "forbidden" before taking the seat (session None);
        # an older server lets it in and the station itself backs out (session known).
        return Notice(
            translate("ErrorDialogs", "Stasiun latihan"),
            translate(
                "ErrorDialogs",
                "Stasiun latihan tidak dapat dipakai untuk sesi ujian sebenarnya. Masuk di "
                "komputer ujian, atau hubungi pengawas.",
            ),
        )
    if isinstance(error, e.StartRefusedError):
        if error.kind == "not_in_kiosk":
            reason = translate(
                "ErrorDialogs", "Aplikasi ujian tidak berjalan dalam mode kios komputer ujian."
            )
        else:
            reason = translate("ErrorDialogs", "Komputer ini tidak siap untuk ujian.")
        return Notice(
            translate("ErrorDialogs", "Ujian tidak dapat dimulai di komputer ini"),
            reason
            + " "
            + translate(
                "ErrorDialogs",
                "Angkat tangan dan tunggu pengawas; laporan ini juga tampil di layar pengawas.",
            ),
        )
    if isinstance(error, e.JournalError):
        return Notice(
            translate("ErrorDialogs", "Jawaban tidak dapat disimpan di komputer ini"),
            translate("ErrorDialogs", "Penyimpanan lokal bermasalah. Hubungi pengawas segera."),
        )
    if isinstance(error, e.ProtocolError):
        return Notice(
            translate("ErrorDialogs", "Balasan server tidak dikenal"),
            translate(
                "ErrorDialogs", "Versi server dan komputer ini tidak cocok. Hubungi pengawas."
            ),
        )
    if isinstance(error, e.ConfigError):
        return Notice(
            translate("ErrorDialogs", "Konfigurasi komputer ujian salah"),
            translate("ErrorDialogs", "Hubungi teknisi lokasi ujian. (%1)").replace(
                "%1", str(error)
            ),
        )
    if isinstance(error, e.PhaseError):
        return Notice(
            translate("ErrorDialogs", "Belum dapat dilakukan"),
            translate("ErrorDialogs", "Tindakan ini tidak tersedia saat ini."),
        )
    return Notice(
        translate("ErrorDialogs", "Terjadi kesalahan"),
        translate(
            "ErrorDialogs", "Terjadi kesalahan yang tidak terduga; sudah dicatat. Hubungi pengawas."
        ),
    )


def show_error(parent: QWidget, error: BaseException) -> QMessageBox:
    """A window-modal dialog with the notice, for failures that have no inline place."""
    notice = describe(error)
    box = QMessageBox(parent)
    box.setWindowFlag(Qt.WindowType.WindowStaysOnTopHint, True)
    box.setIcon(QMessageBox.Icon.Warning if notice.tone != "error" else QMessageBox.Icon.Critical)
    box.setWindowTitle(notice.title)
    box.setText(notice.title)
    box.setInformativeText(notice.text)
    box.setStandardButtons(QMessageBox.StandardButton.Ok)
    box.open()
    return box
