<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="id">
<context>
    <name>ConnectPage</name>
    <message>
        <source>CBT Station  ·  Ujian Berbasis Komputer</source>
        <translation>CBT Station  ·  Computer-Based Test</translation>
    </message>
    <message>
        <source>Komputer %1</source>
        <translation>Computer %1</translation>
    </message>
    <message>
        <source>Menghubungkan ke server ujian…</source>
        <translation>Connecting to the exam server…</translation>
    </message>
    <message>
        <source>Mohon tunggu sebentar.</source>
        <translation>Please wait a moment.</translation>
    </message>
</context>
<context>
    <name>ErrorDialogs</name>
    <message>
        <source>%1 menit %2 detik</source>
        <extracomment>"error" (refused; do something), "warning" (wait, nothing is lost), "info".</extracomment>
        <translation>%1 min %2 s</translation>
    </message>
    <message>
        <source>%1 menit</source>
        <translation>%1 minutes</translation>
    </message>
    <message>
        <source>%1 detik</source>
        <translation>%1 seconds</translation>
    </message>
    <message>
        <source>Login dikunci sementara</source>
        <translation>Login locked for a while</translation>
    </message>
    <message>
        <source>PIN salah terlalu sering. Coba lagi dalam %1, atau hubungi pengawas.</source>
        <translation>Too many wrong PINs. Try again in %1, or ask the proctor.</translation>
    </message>
    <message>
        <source>Nomor peserta atau PIN salah</source>
        <translation>Wrong participant number or PIN</translation>
    </message>
    <message>
        <source>Periksa kembali kartu peserta Anda. Sisa percobaan: %1.</source>
        <translation>Check your participant card. Attempts left: %1.</translation>
    </message>
    <message>
        <source>Periksa kembali kartu peserta Anda.</source>
        <translation>Check your participant card.</translation>
    </message>
    <message>
        <source>PIN salah berulang kali. Coba lagi dalam %1, atau hubungi pengawas.</source>
        <translation>Wrong PIN several times. Try again in %1, or ask the proctor.</translation>
    </message>
    <message>
        <source>Token sesi salah</source>
        <translation>Wrong session token</translation>
    </message>
    <message>
        <source>Token salah atau sudah berganti. Ketik token yang sedang ditampilkan pengawas.</source>
        <translation>The token is wrong or has changed. Type the token the proctor is showing now.</translation>
    </message>
    <message>
        <source>Ujian terbuka di komputer lain</source>
        <translation>Exam open on another computer</translation>
    </message>
    <message>
        <source>Ujian Anda sedang terbuka di komputer lain. Minta pengawas melepaskan kursi Anda, lalu masuk lagi di sini.</source>
        <translation>Your exam is open on another computer. Ask the proctor to release your seat, then sign in here again.</translation>
    </message>
    <message>
        <source>Sesi belum dibuka</source>
        <translation>Session not open yet</translation>
    </message>
    <message>
        <source>Sesi ujian Anda belum dibuka. Tunggu pengumuman pengawas.</source>
        <translation>Your exam session is not open yet. Wait for the proctor's announcement.</translation>
    </message>
    <message>
        <source>Silakan masuk kembali</source>
        <translation>Please sign in again</translation>
    </message>
    <message>
        <source>Login di komputer ini tidak berlaku lagi (kursi dilepas pengawas atau Anda masuk di komputer lain). Jawaban yang sudah tersimpan tetap aman.</source>
        <translation>The login on this computer is no longer valid (the proctor released the seat, or you signed in elsewhere). Saved answers are safe.</translation>
    </message>
    <message>
        <source>Waktu habis</source>
        <translation>Time is up</translation>
    </message>
    <message>
        <source>Waktu ujian telah habis; jawaban tidak dapat diubah lagi.</source>
        <translation>The exam time is over; answers can no longer change.</translation>
    </message>
    <message>
        <source>Kode buka salah</source>
        <translation>Wrong unlock code</translation>
    </message>
    <message>
        <source>Minta kode buka yang baru kepada pengawas.</source>
        <translation>Ask the proctor for a new unlock code.</translation>
    </message>
    <message>
        <source>Server sedang sibuk</source>
        <translation>The server is busy</translation>
    </message>
    <message>
        <source>Server belum dapat menyimpan. Jawaban Anda aman di komputer ini; coba lagi.</source>
        <translation>The server could not save yet. Your answers are safe on this computer; try again.</translation>
    </message>
    <message>
        <source>Server menolak permintaan</source>
        <translation>The server refused</translation>
    </message>
    <message>
        <source>Server tidak dapat dihubungi</source>
        <translation>Cannot reach the server</translation>
    </message>
    <message>
        <source>Komputer ini belum tersambung ke server ujian. Jawaban Anda aman di komputer ini. Coba lagi, atau hubungi pengawas.</source>
        <translation>This computer is not connected to the exam server. Your answers are safe on this computer. Try again, or ask the proctor.</translation>
    </message>
    <message>
        <source>Server tidak dikenal</source>
        <translation>Unknown server</translation>
    </message>
    <message>
        <source>Sertifikat server tidak cocok dengan yang dipasang di komputer ini, jadi tidak ada data yang dikirim. Hubungi pengawas.</source>
        <translation>The server's certificate does not match the one installed on this computer, so nothing was sent. Ask the proctor.</translation>
    </message>
    <message>
        <source>Stasiun latihan</source>
        <translation>Practice station</translation>
    </message>
    <message>
        <source>Stasiun latihan tidak dapat dipakai untuk sesi ujian sebenarnya. Masuk di komputer ujian, atau hubungi pengawas.</source>
        <translation>A practice station cannot be used for a real exam session. Sign in at an exam computer, or ask the proctor.</translation>
    </message>
    <message>
        <source>Aplikasi ujian tidak berjalan dalam mode kios komputer ujian.</source>
        <translation>The exam application is not running inside the exam computer&apos;s kiosk mode.</translation>
    </message>
    <message>
        <source>Komputer ini tidak siap untuk ujian.</source>
        <translation>This computer is not ready for the exam.</translation>
    </message>
    <message>
        <source>Ujian tidak dapat dimulai di komputer ini</source>
        <translation>The exam cannot start on this computer</translation>
    </message>
    <message>
        <source>Angkat tangan dan tunggu pengawas; laporan ini juga tampil di layar pengawas.</source>
        <translation>Raise your hand and wait for the proctor; this report also appears on the proctor&apos;s screen.</translation>
    </message>
    <message>
        <source>Jawaban tidak dapat disimpan di komputer ini</source>
        <translation>Answers cannot be saved on this computer</translation>
    </message>
    <message>
        <source>Penyimpanan lokal bermasalah. Hubungi pengawas segera.</source>
        <translation>Local storage has a problem. Call the proctor now.</translation>
    </message>
    <message>
        <source>Balasan server tidak dikenal</source>
        <translation>Unexpected reply from the server</translation>
    </message>
    <message>
        <source>Versi server dan komputer ini tidak cocok. Hubungi pengawas.</source>
        <translation>The server and this computer do not match. Ask the proctor.</translation>
    </message>
    <message>
        <source>Konfigurasi komputer ujian salah</source>
        <translation>This exam computer is misconfigured</translation>
    </message>
    <message>
        <source>Hubungi teknisi lokasi ujian. (%1)</source>
        <translation>Call the test site's technician. (%1)</translation>
    </message>
    <message>
        <source>Belum dapat dilakukan</source>
        <translation>Not possible yet</translation>
    </message>
    <message>
        <source>Tindakan ini tidak tersedia saat ini.</source>
        <translation>This action is not available now.</translation>
    </message>
    <message>
        <source>Terjadi kesalahan</source>
        <translation>Something went wrong</translation>
    </message>
    <message>
        <source>Terjadi kesalahan yang tidak terduga; sudah dicatat. Hubungi pengawas.</source>
        <translation>An unexpected error happened and has been logged. Ask the proctor.</translation>
    </message>
</context>
<context>
    <name>ExamBar</name>
    <message>
        <source>SISA WAKTU</source>
        <translation>TIME LEFT</translation>
    </message>
    <message>
        <source>Kontras</source>
        <translation>Contrast</translation>
    </message>
    <message>
        <source>Perkecil huruf</source>
        <translation>Smaller text</translation>
    </message>
    <message>
        <source>Perbesar huruf</source>
        <translation>Larger text</translation>
    </message>
    <message>
        <source>Tampilan kontras tinggi</source>
        <translation>High-contrast display</translation>
    </message>
    <message>
        <source>Perkecil huruf (Ctrl −)</source>
        <translation>Smaller text (Ctrl −)</translation>
    </message>
    <message>
        <source>Perbesar huruf (Ctrl +)</source>
        <translation>Larger text (Ctrl +)</translation>
    </message>
    <message>
        <source>Sisa waktu %1</source>
        <translation>Time left %1</translation>
    </message>
    <message>
        <source>DIJEDA</source>
        <translation>PAUSED</translation>
    </message>
</context>
<context>
    <name>ExamPage</name>
    <message>
        <source>‹  Sebelumnya</source>
        <translation>‹  Previous</translation>
    </message>
    <message>
        <source>Berikutnya  ›</source>
        <translation>Next  ›</translation>
    </message>
    <message>
        <source>Ragu-ragu</source>
        <translation>Doubtful</translation>
    </message>
    <message>
        <source>Soal sebelumnya</source>
        <translation>Previous question</translation>
    </message>
    <message>
        <source>Soal berikutnya</source>
        <translation>Next question</translation>
    </message>
    <message>
        <source>Tandai ragu-ragu</source>
        <translation>Mark as doubtful</translation>
    </message>
    <message>
        <source>Ujian dijeda oleh pengawas</source>
        <translation>The proctor has paused the exam</translation>
    </message>
    <message>
        <source>Waktu Anda tidak berjalan selama jeda. Tunggu sampai pengawas melanjutkan.</source>
        <translation>Your time does not run during the pause. Wait until the proctor resumes.</translation>
    </message>
    <message>
        <source>Soal %1 dari %2</source>
        <translation>Question %1 of %2</translation>
    </message>
    <message>
        <source>Offline — jawaban disimpan di PC ini</source>
        <translation>Offline — answers kept on this PC</translation>
    </message>
    <message>
        <source>Mengirim…</source>
        <translation>Sending…</translation>
    </message>
    <message>
        <source>Tersimpan</source>
        <translation>Saved</translation>
    </message>
</context>
<context>
    <name>ExitCodeDialog</name>
    <message>
        <source>Keluar dari aplikasi ujian</source>
        <translation>Leave the exam application</translation>
    </message>
    <message>
        <source>KODE KELUAR PENGAWAS</source>
        <translation>PROCTOR EXIT CODE</translation>
    </message>
    <message>
        <source>Kode keluar pengawas</source>
        <translation>Proctor exit code</translation>
    </message>
    <message>
        <source>Batal</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>Keluar</source>
        <translation>Leave</translation>
    </message>
</context>
<context>
    <name>FinishPage</name>
    <message>
        <source>Selesai Ujian</source>
        <translation>Finish Exam</translation>
    </message>
    <message>
        <source>Periksa sebelum mengirim</source>
        <translation>Check before you submit</translation>
    </message>
    <message>
        <source>DIJAWAB</source>
        <translation>ANSWERED</translation>
    </message>
    <message>
        <source>RAGU-RAGU</source>
        <translation>DOUBTFUL</translation>
    </message>
    <message>
        <source>BELUM DIJAWAB</source>
        <translation>NOT ANSWERED</translation>
    </message>
    <message>
        <source>Belum dijawab — klik nomor untuk kembali ke soal itu</source>
        <translation>Not answered — click a number to go back to that question</translation>
    </message>
    <message>
        <source>Ditandai ragu-ragu</source>
        <translation>Marked doubtful</translation>
    </message>
    <message>
        <source>Saya yakin akan mengakhiri ujian. Jawaban tidak dapat diubah lagi.</source>
        <translation>I am sure I want to end the exam. Answers cannot be changed afterwards.</translation>
    </message>
    <message>
        <source>‹  Kembali ke soal</source>
        <translation>‹  Back to the questions</translation>
    </message>
    <message>
        <source>Kembali ke soal %1</source>
        <translation>Back to question %1</translation>
    </message>
    <message>
        <source>Masih ada %1 soal yang belum dijawab. Soal yang tidak dijawab bernilai 0. Sisa waktu: %2.</source>
        <translation>%1 questions are not answered yet. An unanswered question scores 0. Time left: %2.</translation>
    </message>
    <message>
        <source>Semua soal sudah dijawab. Sisa waktu: %2.</source>
        <translation>Every question is answered. Time left: %2.</translation>
    </message>
    <message>
        <source>Mengirim…</source>
        <translation>Sending…</translation>
    </message>
    <message>
        <source>Kirim dan Selesai</source>
        <translation>Submit and Finish</translation>
    </message>
</context>
<context>
    <name>IdentityPage</name>
    <message>
        <source>Konfirmasi Identitas</source>
        <translation>Confirm Your Identity</translation>
    </message>
    <message>
        <source>NAMA PESERTA</source>
        <translation>CANDIDATE NAME</translation>
    </message>
    <message>
        <source>NOMOR PESERTA</source>
        <translation>PARTICIPANT NUMBER</translation>
    </message>
    <message>
        <source>FORMASI</source>
        <translation>POSITION</translation>
    </message>
    <message>
        <source>JALUR</source>
        <translation>TRACK</translation>
    </message>
    <message>
        <source>UJIAN</source>
        <translation>EXAM</translation>
    </message>
    <message>
        <source>SESI  ·  RUANG</source>
        <translation>SESSION  ·  ROOM</translation>
    </message>
    <message>
        <source>KOMPUTER</source>
        <translation>COMPUTER</translation>
    </message>
    <message>
        <source>Pastikan nama, foto dan nomor peserta di atas adalah milik Anda. Jika ada yang tidak sesuai, pilih “Bukan saya” dan angkat tangan untuk memanggil pengawas.</source>
        <translation>Make sure the name, photo and participant number above are yours. If anything is wrong, choose “Not me” and raise your hand to call the proctor.</translation>
    </message>
    <message>
        <source>Bukan saya</source>
        <translation>Not me</translation>
    </message>
    <message>
        <source>Ya, ini saya</source>
        <translation>Yes, this is me</translation>
    </message>
    <message>
        <source>Ya, ini saya: lanjut ke petunjuk ujian</source>
        <translation>Yes, this is me: continue to the instructions</translation>
    </message>
    <message>
        <source>Komputer %1</source>
        <translation>Computer %1</translation>
    </message>
    <message>
        <source>Umum</source>
        <translation>General</translation>
    </message>
    <message>
        <source>Lulusan cumlaude</source>
        <translation>Cum laude graduates</translation>
    </message>
    <message>
        <source>Diaspora</source>
        <translation>Diaspora</translation>
    </message>
    <message>
        <source>Penyandang disabilitas</source>
        <translation>Persons with disabilities</translation>
    </message>
    <message>
        <source>Putra/putri Papua</source>
        <translation>Papuan candidates</translation>
    </message>
    <message>
        <source>Daerah tertinggal</source>
        <translation>Disadvantaged regions</translation>
    </message>
</context>
<context>
    <name>InstructionsPage</name>
    <message>
        <source>Petunjuk Ujian</source>
        <extracomment>Names of well-known sections (the form carries names too, but only after the start).</extracomment>
        <translation>Exam Instructions</translation>
    </message>
    <message>
        <source>WAKTU</source>
        <translation>TIME</translation>
    </message>
    <message>
        <source>JUMLAH SOAL</source>
        <translation>QUESTIONS</translation>
    </message>
    <message>
        <source>SUBTES</source>
        <translation>SUBTESTS</translation>
    </message>
    <message>
        <source>Tata tertib</source>
        <translation>Rules</translation>
    </message>
    <message>
        <source>Setiap soal memiliki satu jawaban. Pilih dengan mengeklik pilihan, atau tekan &lt;b&gt;A&lt;/b&gt;–&lt;b&gt;E&lt;/b&gt; pada papan ketik.</source>
        <translation>Each question has one answer. Choose by clicking an option, or press &lt;b&gt;A&lt;/b&gt;–&lt;b&gt;E&lt;/b&gt; on the keyboard.</translation>
    </message>
    <message>
        <source>Pindah soal dengan &lt;b&gt;Sebelumnya&lt;/b&gt; / &lt;b&gt;Berikutnya&lt;/b&gt; (tombol panah ← →, atau Enter), atau klik nomor soal di panel kanan.</source>
        <translation>Move between questions with &lt;b&gt;Previous&lt;/b&gt; / &lt;b&gt;Next&lt;/b&gt; (arrow keys ← →, or Enter), or click a question number in the right panel.</translation>
    </message>
    <message>
        <source>Tandai &lt;b&gt;Ragu-ragu&lt;/b&gt; (tombol R) untuk soal yang ingin diperiksa lagi. Jawaban pada soal ragu-ragu tetap dinilai.</source>
        <translation>Mark &lt;b&gt;Doubtful&lt;/b&gt; (key R) for questions you want to check again. Answers to doubtful questions still count.</translation>
    </message>
    <message>
        <source>Jawaban tersimpan otomatis setiap kali Anda memilih. Bila jaringan terputus, ujian tetap berjalan; jawaban disimpan di komputer ini dan dikirim saat tersambung kembali.</source>
        <translation>Answers are saved automatically whenever you choose. If the network drops, the exam goes on; answers are kept on this computer and sent when it reconnects.</translation>
    </message>
    <message>
        <source>Waktu dihitung oleh server dan mulai berjalan saat Anda menekan Mulai. Saat waktu habis, ujian selesai dengan sendirinya.</source>
        <translation>The server keeps the time, which starts when you press Start. When time is up, the exam ends by itself.</translation>
    </message>
    <message>
        <source>Jangan meninggalkan aplikasi ujian atau memasang perangkat lain; setiap kejadian tercatat dan dilaporkan kepada pengawas.</source>
        <translation>Do not leave the exam application or plug in other devices; every such event is recorded and reported to the proctor.</translation>
    </message>
    <message>
        <source>Nilai Anda ditampilkan segera setelah ujian selesai.</source>
        <translation>Your score is shown as soon as the exam ends.</translation>
    </message>
    <message>
        <source>Saya telah membaca dan memahami petunjuk ujian.</source>
        <translation>I have read and understood the exam instructions.</translation>
    </message>
    <message>
        <source>%1 menit</source>
        <translation>%1 minutes</translation>
    </message>
    <message>
        <source>soal %1–%2  ·  %3 soal</source>
        <translation>questions %1–%2  ·  %3 questions</translation>
    </message>
    <message>
        <source>Menyiapkan soal…</source>
        <translation>Preparing the questions…</translation>
    </message>
    <message>
        <source>Lanjutkan Ujian</source>
        <translation>Continue the Exam</translation>
    </message>
    <message>
        <source>Mulai Ujian</source>
        <translation>Start the Exam</translation>
    </message>
</context>
<context>
    <name>LockPage</name>
    <message>
        <source>Ujian Dihentikan Sementara</source>
        <translation>Exam Paused on This Computer</translation>
    </message>
    <message>
        <source>Ujian di komputer ini dihentikan sementara</source>
        <translation>The exam on this computer is on hold</translation>
    </message>
    <message>
        <source>Angkat tangan dan tunggu pengawas. Pengawas akan memberikan kode buka. Jawaban Anda aman; waktu ujian tetap berjalan.</source>
        <translation>Raise your hand and wait for the proctor, who will give you an unlock code. Your answers are safe; the exam time keeps running.</translation>
    </message>
    <message>
        <source>KODE BUKA DARI PENGAWAS</source>
        <translation>UNLOCK CODE FROM THE PROCTOR</translation>
    </message>
    <message>
        <source>ALASAN</source>
        <translation>REASON</translation>
    </message>
    <message>
        <source>Kode buka dari pengawas</source>
        <translation>Unlock code from the proctor</translation>
    </message>
    <message>
        <source>Buka</source>
        <translation>Unlock</translation>
    </message>
    <message>
        <source>Memeriksa…</source>
        <translation>Checking…</translation>
    </message>
    <message>
        <source>Aplikasi ujian ditinggalkan (jendela lain dibuka).</source>
        <translation>The exam application was left (another window was opened).</translation>
    </message>
    <message>
        <source>Layar tambahan dipasang pada komputer ini.</source>
        <translation>An extra screen was connected to this computer.</translation>
    </message>
    <message>
        <source>Komputer ini memakai lebih dari satu layar.</source>
        <translation>This computer uses more than one screen.</translation>
    </message>
    <message>
        <source>Komputer ini dikendalikan dari jarak jauh.</source>
        <translation>This computer is being controlled remotely.</translation>
    </message>
    <message>
        <source>Aplikasi ujian tidak berjalan dalam mode kios.</source>
        <translation>The exam application is not running in kiosk mode.</translation>
    </message>
    <message>
        <source>Dikunci oleh pengawas.</source>
        <translation>Locked by the proctor.</translation>
    </message>
</context>
<context>
    <name>LoginPage</name>
    <message>
        <source>CBT Station  ·  Ujian Berbasis Komputer</source>
        <translation>CBT Station  ·  Computer-Based Test</translation>
    </message>
    <message>
        <source>Komputer %1</source>
        <translation>Computer %1</translation>
    </message>
    <message>
        <source>MODE LATIHAN</source>
        <translation>PRACTICE MODE</translation>
    </message>
    <message>
        <source>Masuk Ujian</source>
        <translation>Sign In to the Exam</translation>
    </message>
    <message>
        <source>Ketik nomor peserta dan PIN dari kartu peserta Anda, lalu token sesi yang ditampilkan pengawas.</source>
        <translation>Type the participant number and PIN from your participant card, then the session token the proctor shows.</translation>
    </message>
    <message>
        <source>NOMOR PESERTA</source>
        <translation>PARTICIPANT NUMBER</translation>
    </message>
    <message>
        <source>PIN</source>
        <translation>PIN</translation>
    </message>
    <message>
        <source>TOKEN SESI</source>
        <translation>SESSION TOKEN</translation>
    </message>
    <message>
        <source>Nomor peserta</source>
        <translation>Participant number</translation>
    </message>
    <message>
        <source>Token sesi</source>
        <translation>Session token</translation>
    </message>
    <message>
        <source>contoh: 20260001</source>
        <translation>e.g. 20260001</translation>
    </message>
    <message>
        <source>6 huruf/angka</source>
        <translation>6 letters/digits</translation>
    </message>
    <message>
        <source>Butuh bantuan? Angkat tangan; pengawas akan datang ke meja Anda.</source>
        <translation>Need help? Raise your hand; a proctor will come to your desk.</translation>
    </message>
    <message>
        <source>Memeriksa…</source>
        <translation>Checking…</translation>
    </message>
    <message>
        <source>Masuk</source>
        <translation>Sign in</translation>
    </message>
    <message>
        <source>Server tersambung</source>
        <translation>Server connected</translation>
    </message>
    <message>
        <source>Server belum tersambung</source>
        <translation>Server not connected</translation>
    </message>
    <message>
        <source>Data belum lengkap</source>
        <translation>Something is missing</translation>
    </message>
    <message>
        <source>Isi nomor peserta, PIN dan token sesi.</source>
        <translation>Fill in the participant number, PIN and session token.</translation>
    </message>
</context>
<context>
    <name>NavigatorGrid</name>
    <message>
        <source>Nomor Soal</source>
        <translation>Questions</translation>
    </message>
    <message>
        <source>Selesai Ujian</source>
        <translation>Finish Exam</translation>
    </message>
    <message>
        <source>Selesai ujian: periksa lalu kirim jawaban</source>
        <translation>Finish the exam: check, then submit</translation>
    </message>
    <message>
        <source>Dijawab  (%1)</source>
        <translation>Answered  (%1)</translation>
    </message>
    <message>
        <source>Ragu-ragu  (%1)</source>
        <translation>Doubtful  (%1)</translation>
    </message>
    <message>
        <source>Belum dijawab  (%1)</source>
        <translation>Not answered  (%1)</translation>
    </message>
    <message>
        <source>Soal %1</source>
        <translation>Question %1</translation>
    </message>
    <message>
        <source>dijawab</source>
        <translation>answered</translation>
    </message>
    <message>
        <source>ragu-ragu</source>
        <translation>doubtful</translation>
    </message>
    <message>
        <source>belum dijawab</source>
        <translation>not answered</translation>
    </message>
</context>
<context>
    <name>NoticeLabel</name>
    <message>
        <source>Pemberitahuan</source>
        <translation>Notice</translation>
    </message>
</context>
<context>
    <name>OptionCard</name>
    <message>
        <source>terpilih</source>
        <extracomment>Up to this many picture-only options are shown side by side.</extracomment>
        <translation>selected</translation>
    </message>
</context>
<context>
    <name>PhotoView</name>
    <message>
        <source>Foto peserta</source>
        <translation>Candidate's photo</translation>
    </message>
    <message>
        <source>Foto tidak tersedia</source>
        <translation>No photo on file</translation>
    </message>
</context>
<context>
    <name>ResultPage</name>
    <message>
        <source>Hasil Ujian</source>
        <translation>Exam Result</translation>
    </message>
    <message>
        <source>NILAI TOTAL</source>
        <translation>TOTAL SCORE</translation>
    </message>
    <message>
        <source>Penjelasan</source>
        <translation>Why</translation>
    </message>
    <message>
        <source>Selesai</source>
        <translation>Done</translation>
    </message>
    <message>
        <source>Selesai: tutup aplikasi ujian</source>
        <translation>Done: close the exam application</translation>
    </message>
    <message>
        <source>Nomor peserta %1</source>
        <translation>Participant number %1</translation>
    </message>
    <message>
        <source>Nilai total %1 dari %2</source>
        <translation>Total score %1 of %2</translation>
    </message>
    <message>
        <source>MEMENUHI AMBANG BATAS</source>
        <translation>MEETS THE PASSING THRESHOLDS</translation>
    </message>
    <message>
        <source>TIDAK MEMENUHI AMBANG BATAS</source>
        <translation>DOES NOT MEET THE PASSING THRESHOLDS</translation>
    </message>
    <message>
        <source>NILAI UNTUK PERINGKAT (TANPA AMBANG BATAS)</source>
        <translation>SCORE FOR RANKING (NO THRESHOLD)</translation>
    </message>
    <message>
        <source>Hasil ini telah tercatat di server ujian.&lt;br/&gt;Kode bukti: &lt;b&gt;%1&lt;/b&gt; — simpan kode ini untuk memeriksa hasil Anda.</source>
        <translation>This result has been recorded on the exam server.&lt;br/&gt;Slip code: &lt;b&gt;%1&lt;/b&gt; — keep it to check your result.</translation>
    </message>
    <message>
        <source>SUBTES</source>
        <translation>SUBTESTS</translation>
    </message>
    <message>
        <source>NILAI</source>
        <translation>SCORE</translation>
    </message>
    <message>
        <source>AMBANG BATAS</source>
        <translation>THRESHOLD</translation>
    </message>
    <message>
        <source>KETERANGAN</source>
        <translation>OUTCOME</translation>
    </message>
    <message>
        <source>Memenuhi</source>
        <translation>Meets</translation>
    </message>
    <message>
        <source>Tidak memenuhi</source>
        <translation>Below</translation>
    </message>
</context>
<context>
    <name>StationWindow</name>
    <message>
        <source>Tutup</source>
        <translation>Close</translation>
    </message>
    <message>
        <source>Waktu ujian ditambah %1 menit oleh pengawas.</source>
        <translation>The proctor added %1 minutes to the exam time.</translation>
    </message>
    <message>
        <source>Pesan dari pengawas: %1</source>
        <translation>Message from the proctor: %1</translation>
    </message>
</context>
<context>
    <name>TimeOverPage</name>
    <message>
        <source>Waktu Habis</source>
        <translation>Time Is Up</translation>
    </message>
    <message>
        <source>Waktu ujian telah habis</source>
        <translation>The exam time is over</translation>
    </message>
    <message>
        <source>Jawaban Anda tersimpan di komputer ini dan dikirim otomatis saat server tersambung kembali. Jangan matikan komputer; hasil akan tampil di layar ini.</source>
        <translation>Your answers are kept on this computer and are sent automatically when the server is back. Do not switch the computer off; your result will appear on this screen.</translation>
    </message>
    <message>
        <source>Menunggu server… %1 jawaban belum terkirim</source>
        <translation>Waiting for the server… %1 answers not sent yet</translation>
    </message>
    <message>
        <source>Menunggu server…</source>
        <translation>Waiting for the server…</translation>
    </message>
    <message>
        <source>Tersambung — mengirim dan menyelesaikan…</source>
        <translation>Connected — sending and finishing…</translation>
    </message>
</context>
</TS>
