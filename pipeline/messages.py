"""The issue catalogue: one stable slug per problem type, its severity and its Indonesian message."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from pipeline.tables import ISSUES, SEVERITY_ERROR, SEVERITY_WARNING

if TYPE_CHECKING:
    import pandas as pd

E, W = SEVERITY_ERROR, SEVERITY_WARNING
DECIMAL = re.compile(r"^-?\d+\.\d+$")
COMPUTED_VALUE_CODES = frozenset({"persen-ambigu"})

# slug -> (severity, message template). Templates use {where} (file, sheet!cell, question code) and
# the fields passed to issue(); a missing field renders as "". Keep slugs stable: reports,
# feedback and automation refer to them.
CATALOGUE: dict[str, tuple[str, str]] = {
    # Answers (validate.py)
    "nilai-di-luar-rentang": (
        E,
        "{where}: angka {value} di luar rentang yang diizinkan ({expected}). "
        "Isi angka {expected}; persen ditulis 0-100 (85 berarti 85%).",
    ),
    "bukan-angka": (
        E,
        "{where}: '{value}' bukan angka. Isi angka saja, misalnya 85 atau 12,5 (tanpa satuan).",
    ),
    "label-tidak-dikenal": (
        E,
        "{where}: jawaban '{value}' tidak dikenal. Pilih salah satu dari daftar: {allowed}.",
    ),
    "bukan-bilangan-bulat": (
        E,
        "{where}: {value} bukan bilangan bulat. Isi jumlah utuh tanpa desimal, misalnya 12.",
    ),
    "rumus-tanpa-nilai": (
        E,
        "{where}: sel berisi rumus '{value}' tanpa nilai tersimpan. Buka berkas di Excel atau "
        "LibreOffice, pastikan rumus terhitung lalu simpan ulang, atau ketik nilainya langsung.",
    ),
    "rumus-menghasilkan-galat": (
        E,
        "{where}: rumus menghasilkan galat atau teks kosong ('{value}'); tidak ada nilai yang "
        "dapat dipakai. Perbaiki rumusnya (misalnya pembagian dengan nol atau sel acuan yang "
        "kosong), pastikan hasilnya angka atau pilihan yang benar lalu simpan ulang, atau ketik "
        "nilainya langsung.",
    ),
    "angka-tidak-wajar": (
        E,
        "{where}: angka '{value}' tidak wajar (terlalu besar, batas 15 digit); tidak dipakai. "
        "Periksa isian dan ketik angka yang sebenarnya.",
    ),
    "huruf-seperti-angka": (
        E,
        "{where}: '{value}' memuat huruf yang mirip angka (huruf O untuk nol, huruf l atau I "
        "untuk satu); tidak dibaca sebagai angka. Ketik angkanya saja, misalnya 90.",
    ),
    "persen-ambigu": (
        W,
        "{where}: {value} untuk pertanyaan persen bisa berarti {value}% atau {percent}%. "
        "Dipakai apa adanya ({value}). Bila maksudnya {percent}%, ketik {percent}.",
    ),
    "jawaban-dinormalisasi": (
        W,
        "{where}: '{value}' dibaca sebagai '{normalised}'. Periksa bahwa ini yang dimaksud; "
        "bila salah, perbaiki jawabannya.",
    ),
    "tanpa-data-dukung": (
        W,
        "{where}: jawaban ada tetapi Data Dukung kosong ('{value}'). Isi tautan (https://...) atau "
        "nama dokumen dan tempat penyimpanannya; tanpa data dukung nilai verifikasi 0.",
    ),
    "data-dukung-tidak-jelas": (
        W,
        "{where}: Data Dukung '{value}' bukan tautan dan bukan rujukan dokumen yang jelas. Tulis "
        "tautan lengkap (https://...) atau nama dokumen, nomor/tahun dan tempat penyimpanannya.",
    ),
    # Identity and structure (ingest)
    "telepon-tanpa-nol": (
        W,
        "{where}: nomor HP/WA {value} tersimpan sebagai angka sehingga angka 0 di depannya hilang; "
        "dibaca sebagai {normalised}. Periksa nomornya; di template baru sel ini berformat teks.",
    ),
    "narahubung-kosong": (
        W,
        "{where}: {field} narahubung kosong. Isi {field} di lembar Identitas agar Gugus Tugas "
        "dapat menghubungi Anda.",
    ),
    "bukan-workbook": (
        W,
        "{where}: bukan berkas isian Excel/LibreOffice ({value}); dilewati. Bila ini isian KLA, "
        "simpan sebagai .xlsx, .xlsm atau .ods lalu kirim ulang. Berkas kunci sementara (~$...) "
        "yang dibuat Excel boleh diabaikan.",
    ),
    "bukan-template": (
        E,
        "{where}: bukan template isian KLA (lembar {missing} tidak ada). Isi template yang "
        "dikirim koordinator, jangan menyalin isinya ke berkas baru.",
    ),
    "template-diubah": (
        E,
        "{where}: data pengenal template (lembar tersembunyi _meta) telah diubah. Isi ulang "
        "template asli dari koordinator.",
    ),
    "instrumen-berbeda": (
        E,
        "{where}: template untuk instrumen '{value}', yang dipakai '{expected}'. Minta template "
        "tahun ini kepada koordinator.",
    ),
    "tahun-berbeda": (
        E,
        "{where}: template untuk tahun {value}, yang dikumpulkan tahun {expected}. Isi template "
        "tahun {expected} dari koordinator.",
    ),
    "wilayah-berbeda": (
        E,
        "{where}: template untuk wilayah {value}, yang dikumpulkan {expected}. Berkas ini bukan "
        "untuk wilayah ini; isi template wilayah {expected}.",
    ),
    "peran-tidak-dikenal": (
        E,
        "{where}: kode peran '{value}' di template tidak dikenal di pengaturan wilayah. Minta "
        "template yang benar kepada koordinator.",
    ),
    "format-template-tidak-didukung": (
        E,
        "{where}: format template '{value}' tidak didukung (didukung: {expected}). Isi template "
        "terbaru dari koordinator.",
    ),
    "meta-tidak-cocok-isian": (
        E,
        "{where}: data pengenal template menyebut OPD '{value}', tetapi kode pertanyaan di lembar "
        "Isian milik OPD lain ({found}); berkas tidak dipakai dan tidak menggantikan berkas OPD "
        "'{value}'. Isi template OPD Anda sendiri dari koordinator.",
    ),
    "kolom-hilang": (
        W,
        "{where}: kolom {value} tidak ada (terhapus); isinya dianggap kosong, kolom lain tetap "
        "dibaca. Untuk pengiriman berikutnya kembalikan kolom {value} dari template asli.",
    ),
    "kolom-ganda": (
        W,
        "{where}: judul kolom '{value}' ada lebih dari sekali (juga kolom {others}); dibaca dari "
        "kolom {read}, satu-satunya yang berisi. Hapus kolom tambahan di template berikutnya.",
    ),
    "kolom-ganda-berisi": (
        E,
        "{where}: judul kolom '{value}' ada lebih dari sekali dan kolom {others} juga berisi; "
        "hanya kolom {read} yang dibaca. Satukan isian ke kolom {read}, hapus kolom tambahan, "
        "simpan lalu kirim lagi.",
    ),
    "lembar-isian-salinan": (
        E,
        "{where}: lembar salinan '{value}' berisi jawaban yang berbeda dari lembar Isian ({count} "
        "jawaban); hanya lembar Isian yang dibaca. Pindahkan jawaban ke lembar Isian, hapus "
        "lembar '{value}', simpan lalu kirim lagi.",
    ),
    "lembar-isian-salinan-sama": (
        W,
        "{where}: ada lembar salinan '{value}' tanpa jawaban yang berbeda dari lembar Isian; "
        "diabaikan. Hapus lembar itu agar tidak membingungkan.",
    ),
    "waktu-simpan-masa-depan": (
        W,
        "{where}: waktu simpan di dalam berkas ({value}) ada di masa depan; jam komputer pengisi "
        "mungkin salah. Untuk menentukan versi terbaru dipakai waktu berkas ({expected}). Minta "
        "OPD membetulkan tanggal dan jam komputernya lalu menyimpan ulang.",
    ),
    "versi-template-lama": (
        W,
        "{where}: dibuat dari versi template/instrumen yang lebih lama; pertanyaannya masih cocok "
        "sehingga tetap dibaca. Untuk pengiriman berikutnya pakai template terbaru.",
    ),
    "template-tidak-cocok": (
        E,
        "{where}: dibuat dari versi instrumen lain dan kode pertanyaannya tidak cocok lagi "
        "({value}). Isi ulang template terbaru dari koordinator.",
    ),
    "header-tidak-ditemukan": (
        E,
        "{where}: baris judul tabel (sel {expected}) tidak ditemukan. Jangan mengubah judul kolom; "
        "isi ulang template asli bila perlu.",
    ),
    "berkas-digantikan": (
        W,
        "{where}: ada berkas yang lebih baru untuk OPD yang sama ({value}); berkas ini tidak "
        "dipakai. Bila berkas ini yang benar, kirim ulang sebagai berkas terbaru.",
    ),
    "versi-tidak-terurut": (
        W,
        "{where}: berkas ini dan {value} adalah isian OPD yang sama dengan waktu simpan yang sama, "
        "tetapi jawabannya berbeda; alat memakai {used} hanya menurut urutan nama berkas. Hapus "
        "versi yang salah dari folder isian (atau simpan ulang versi yang benar), lalu jalankan lagi.",
    ),
    "kode-tidak-dikenal": (
        E,
        "{where}: kode pertanyaan '{value}' tidak ada di template OPD ini; baris diabaikan. "
        "Jangan mengubah kolom Kode.",
    ),
    "kode-ganda": (
        E,
        "{where}: kode '{value}' muncul lagi (pertama di {first}); baris ini diabaikan. Hapus "
        "baris ganda.",
    ),
    "tidak-ada-di-berkas": (
        E,
        "{where}: pertanyaan tidak ada di berkas (barisnya terhapus atau kodenya diubah). "
        "Kembalikan baris pertanyaan ini dari template asli dan isi jawabannya.",
    ),
    "berkas-tidak-terbaca": (
        E,
        "{where}: berkas tidak dapat dibaca ({value}). Buka dan simpan ulang di Excel atau "
        "LibreOffice sebagai .xlsx, lalu kirim lagi.",
    ),
    # Byte-level checks (sniff.py)
    "berkas-kosong": (E, "{where}: berkas kosong (0 byte). Kirim ulang berkas isian."),
    "berkas-terlalu-besar": (
        E,
        "{where}: berkas terlalu besar ({value}). Hapus gambar/lembar tambahan lalu kirim lagi.",
    ),
    "berkas-berpassword": (
        E,
        "{where}: berkas dikunci dengan kata sandi. Simpan ulang tanpa kata sandi lalu kirim lagi.",
    ),
    "bukan-workbook-isi": (
        E,
        "{where}: isinya bukan lembar kerja ({value}) meskipun namanya seperti Excel. Kirim berkas "
        "isian Excel/ODS yang asli.",
    ),
    "zip-berbahaya": (
        E,
        "{where}: struktur berkas tidak wajar ({value}); tidak dibuka. Simpan ulang di Excel atau "
        "LibreOffice lalu kirim lagi.",
    ),
    "xml-berbahaya": (
        E,
        "{where}: berkas memuat deklarasi XML yang tidak diizinkan ({value}); tidak dibuka. Simpan "
        "ulang di Excel atau LibreOffice lalu kirim lagi.",
    ),
    "berkas-rusak": (
        E,
        "{where}: berkas rusak atau terpotong ({value}). Simpan ulang dan kirim lagi.",
    ),
    "isi-terlalu-besar": (
        E,
        "{where}: isi berkas terlalu besar ({value}); tidak dibuka. Hapus lembar, baris atau gambar "
        "tambahan di luar template, simpan ulang lalu kirim lagi.",
    ),
    # Hostile or odd inputs (ingest.py, workbook.py)
    "tautan-simbolik": (
        E,
        "{where}: tautan simbolik (symlink) ke {value}; tidak diikuti demi keamanan. Salin berkas "
        "aslinya ke folder inputs/ lalu jalankan lagi.",
    ),
    "bukan-berkas-biasa": (
        E,
        "{where}: bukan berkas biasa ({value}); dilewati tanpa dibuka. Simpan isian sebagai berkas "
        ".xlsx biasa di folder inputs/.",
    ),
    "berkas-tanpa-izin": (
        E,
        "{where}: berkas tidak boleh dibaca oleh pengguna yang menjalankan konsolidasi ({value}). "
        "Ubah izin berkas agar dapat dibaca lalu jalankan lagi.",
    ),
    "berkas-berubah-saat-dibaca": (
        E,
        "{where}: berkas berubah ketika sedang dibaca ({value}); mungkin masih disalin atau "
        "disimpan. Tunggu sampai selesai lalu jalankan lagi.",
    ),
    "format-tidak-sesuai-nama": (
        W,
        "{where}: isi berkas berformat {value} tetapi namanya berakhiran {expected}; dibaca menurut "
        "isinya. Sebaiknya simpan ulang sebagai .xlsx dengan nama yang sesuai.",
    ),
    "lembar-terlalu-besar": (
        E,
        "{where}: lembar terlalu besar ({value}; batas {expected}); tidak dibaca. Hapus baris dan "
        "kolom di luar tabel isian (hapus, jangan hanya dikosongkan), simpan lalu kirim lagi.",
    ),
    "sel-digabung": (
        W,
        "{where}: sel {value} digabung (merge) di kolom isian; hanya sel pertama yang terbaca. "
        "Pisahkan sel (Unmerge) dan isi tiap pertanyaan di barisnya sendiri.",
    ),
    "tautan-eksternal": (
        W,
        "{where}: berkas memuat tautan ke berkas lain ({value}); tautan tidak dibuka, hanya nilai "
        "yang tersimpan di berkas ini yang dipakai. Ganti rumus bertautan dengan nilainya.",
    ),
    "teks-terlalu-panjang": (
        W,
        "{where}: teks {value} karakter, lebih dari batas {expected}; hanya {expected} karakter "
        "pertama yang dipakai. Persingkat isian; uraian panjang taruh di dokumen data dukung.",
    ),
    "karakter-tersembunyi": (
        W,
        "{where}: teks memuat karakter tersembunyi atau kontrol ({value}) yang dibuang sebelum "
        "dibaca. Periksa isian; ketik ulang bila teks disalin dari aplikasi lain.",
    ),
    # The inputs folder itself (ingest/listing.py)
    "folder-tidak-terbaca": (
        E,
        "{where}: folder tidak dapat dibuka ({value}); isinya tidak dibaca, sehingga OPD yang "
        "berkasnya ada di sana bisa tercatat belum mengirim. Ubah izin folder agar dapat dibaca, "
        "atau pindahkan berkasnya ke folder inputs/, lalu jalankan lagi.",
    ),
    "folder-terlalu-dalam": (
        E,
        "{where}: folder bersarang lebih dari {expected} tingkat di bawah inputs/; isinya tidak "
        "dibaca. Pindahkan berkas isian ke folder yang lebih dangkal lalu jalankan lagi.",
    ),
    "berkas-tersembunyi": (
        W,
        "{where}: berkas tersembunyi (nama berkas atau foldernya diawali titik); tidak dibaca. "
        "Bila ini isian OPD, ganti namanya tanpa titik di depan lalu jalankan lagi. Berkas sistem "
        "seperti .DS_Store atau .~lock boleh diabaikan.",
    ),
    "nama-tidak-utf8": (
        W,
        "{where}: nama berkas atau folder bukan teks UTF-8 (misalnya dari flashdisk atau zip "
        "buatan Windows); huruf yang tidak terbaca ditulis sebagai \\xNN. Berkas tetap dibaca. "
        "Ganti namanya dengan huruf biasa agar mudah dikenali.",
    ),
    "huruf-mirip": (
        W,
        "{where}: '{value}' memuat huruf non-Latin yang mirip huruf Latin ({chars}); huruf itu "
        "tidak disamakan dengan huruf Latin. Ketik ulang dengan papan ketik biasa.",
    ),
    # Verification (ingest/verification.py, decisions.py, score/decisions.py; docs/verifikasi.md)
    "data-dukung-samar": (
        W,
        "{where}: Data Dukung '{value}' tidak menunjuk dokumen yang dapat diperiksa verifikator "
        "(kata umum atau alamat di komputer sendiri); dihitung tidak ada data dukung. Tulis "
        "tautan https:// yang dapat dibuka, atau nama dokumen, nomor/tahun dan tempat arsipnya "
        "(misalnya SK Bupati No. 12 Tahun 2023, arsip Bagian Hukum).",
    ),
    "verifikasi-diubah": (
        E,
        "{where}: data pengenal workbook verifikasi (lembar tersembunyi _meta) telah diubah; "
        "keputusannya tidak dipakai. Isi workbook verifikasi terbaru dari outputs/verifikasi/.",
    ),
    "kode-verifikasi-tidak-dikenal": (
        E,
        "{where}: kode '{value}' bukan pertanyaan workbook verifikasi ini; baris diabaikan. "
        "Jangan mengubah kolom Kode.",
    ),
    "keputusan-tidak-dikenal": (
        E,
        "{where}: Keputusan '{value}' tidak dikenal; baris ini belum dipakai. Pilih dari daftar: "
        "{allowed}.",
    ),
    "keputusan-kosong": (
        W,
        "{where}: baris berisi {value} tetapi Keputusan kosong; dianggap belum diverifikasi. "
        "Pilih Keputusan dari daftar.",
    ),
    "koreksi-tidak-valid": (
        E,
        "{where}: Jawaban Koreksi '{value}' tidak sesuai jenis jawaban ({expected}); keputusan "
        "'Diterima dengan koreksi' ini belum dipakai. Isi Jawaban Koreksi yang sah.",
    ),
    "koreksi-diabaikan": (
        W,
        "{where}: Jawaban Koreksi '{value}' diisi tetapi Keputusan '{decision}'; koreksi "
        "diabaikan. Pilih 'Diterima dengan koreksi' bila jawaban memang dikoreksi.",
    ),
    "alasan-kosong": (
        E,
        "{where}: Keputusan '{value}' tanpa Alasan; keputusan ini belum dipakai. Pilih Alasan "
        "dari daftar dan tulis Catatan untuk OPD.",
    ),
    "keputusan-bertentangan": (
        E,
        "{where}: keputusan '{value}' untuk pertanyaan ini berbeda dengan {other} pada putaran "
        "{round}; tidak ada yang dipakai. Tim verifikator menyepakati satu keputusan dan "
        "mengisinya di workbook verifikasi terbaru.",
    ),
    "keputusan-kedaluwarsa": (
        W,
        "{where}: keputusan '{value}' menilai jawaban lama; OPD telah mengirim jawaban atau data "
        "dukung lain, sehingga keputusan tidak berlaku dan nilai mengikuti data dukung. "
        "Verifikasi ulang pertanyaan ini di workbook verifikasi terbaru.",
    ),
    "ditolak-verifikator": (
        W,
        "{where}: jawaban ditolak verifikator ({reason}); nilai terverifikasinya 0. Catatan "
        "verifikator: {note}. {send}",
    ),
    "klarifikasi-verifikator": (
        W,
        "{where}: verifikator meminta klarifikasi ({reason}); nilai terverifikasinya 0 sampai "
        "diputuskan lagi. Catatan verifikator: {note}. {send}",
    ),
    # Year over year (ingest/previous.py, score/comparison.py)
    "sebelumnya-tahun-sama": (
        W,
        "{where}: hasil pembanding juga tahun {value}, sama dengan tahun evaluasi. Perbandingan "
        "tetap dibuat sebagai dua putaran pengumpulan di tahun yang sama; bila maksudnya tahun "
        "lalu, beri SEBELUMNYA= folder atau laporan tahun lalu.",
    ),
    "sebelumnya-wilayah-lain": (
        W,
        "{where}: hasil pembanding milik '{value}', bukan wilayah ini. Periksa bahwa SEBELUMNYA= "
        "menunjuk hasil wilayah sendiri.",
    ),
    "sebelumnya-baris-salah": (
        W,
        "{where}: baris hasil tahun lalu tidak dipakai ({value}); pertanyaan ini tampil tanpa "
        "nilai tahun lalu. Pakai hasil buatan alat ini tanpa diubah.",
    ),
    "sebelumnya-tanpa-peta": (
        W,
        "{where}: kode {value} ada di hasil tahun lalu tetapi tidak ada di peta pertanyaan "
        "{mapping}; tidak dibandingkan. Tambahkan barisnya ke peta (perubahan hapus bila "
        "pertanyaan itu memang dihapus).",
    ),
    "sebelumnya-kode-tidak-ada": (
        W,
        "{where}: peta pertanyaan menyebut kode lama {value}, tetapi hasil tahun lalu tidak "
        "memuatnya; pertanyaan {kode} tampil tanpa nilai tahun lalu. Periksa kode_lama di peta.",
    ),
    # Province view: kab/kota results (ingest/summary.py, province/read.py)
    "bukan-hasil-kabkota": (
        W,
        "{where}: bukan hasil konsolidasi KLA kabupaten/kota ({value}); dilewati. Taruh di folder "
        "ini workbook Konsolidasi_KLA_*.xlsx atau ringkasan.json yang ditulis `make consolidate`.",
    ),
    "ringkasan-rusak": (
        E,
        "{where}: ringkasan terbaca mesin tidak dapat dibaca ({value}). Minta kabupaten/kota "
        "menjalankan ulang `make consolidate` dan mengirim workbook Konsolidasi yang baru; jangan "
        "mengubah lembar tersembunyi _ringkasan.",
    ),
    "format-ringkasan-lama": (
        E,
        "{where}: workbook Konsolidasi dari versi alat yang lebih lama (format ringkasan "
        "'{value}', didukung {expected}); tidak dibaca. Minta kabupaten/kota menjalankan "
        "`make consolidate` dengan versi alat terbaru lalu mengirim ulang workbooknya.",
    ),
    "provinsi-berbeda": (
        E,
        "{where}: hasil {name} (kode {value}) bukan kabupaten/kota provinsi {expected}; tidak "
        "dipakai. Pindahkan berkas ini ke folder provinsinya.",
    ),
    "kabkota-tidak-terdaftar": (
        E,
        "{where}: kode wilayah {value} ({name}) tidak ada di daftar kabupaten/kota pengaturan "
        "provinsi; tidak dipakai. Tambahkan ke [[kabupaten_kota]] bila kabupaten/kota ini memang "
        "bagian provinsi, atau periksa kode_kemendagri di pengaturan wilayahnya.",
    ),
    "tahun-hasil-berbeda": (
        E,
        "{where}: hasil {name} untuk tahun {value}, yang direkap tahun {expected}; tidak dipakai. "
        "Minta hasil tahun {expected}.",
    ),
    "hasil-ganda": (
        W,
        "{where}: hasil {name} ini dibuat {value}, sedangkan {newer} dibuat lebih akhir "
        "({expected}); berkas ini disisihkan. Hapus berkas lama dari folder bila tidak diperlukan.",
    ),
    "hasil-sama": (
        W,
        "{where}: isinya sama dengan {newer} (hasil {name} yang sama); dipakai sekali saja. "
        "Tidak perlu tindakan.",
    ),
    "total-tidak-cocok": (
        E,
        "{where}: angka ringkasan {name} tidak cocok ({value}); tidak dipakai. Ringkasan mungkin "
        "diubah tangan: minta kabupaten/kota menjalankan ulang `make consolidate` dan mengirim "
        "hasil aslinya.",
    ),
    "riwayat-tidak-terbaca": (
        W,
        "{where}: baris riwayat predikat tidak terbaca ({value}); baris dilewati. Kolom: {expected}.",
    ),
    # Kecamatan workbooks (ingest/kecamatan.py; docs/kecamatan.md)
    "tanpa-daftar-wilayah": (
        E,
        "{where}: workbook kecamatan, tetapi pengaturan wilayah belum memuat daftar_wilayah; "
        "tidak dihitung. Isi daftar_wilayah (docs/kecamatan.md), buat ulang template, jalankan lagi.",
    ),
    "kecamatan-tidak-dikenal": (
        E,
        "{where}: kecamatan {value} tidak ada di daftar kecamatan wilayah ini; tidak dihitung. "
        "Kirim ke kecamatan itu template dari `make templates` terbaru.",
    ),
    "desa-tidak-di-daftar": (
        E,
        "{where}: desa/kelurahan '{value}' tidak ada di daftar desa Kecamatan {expected}; baris "
        "tidak dihitung. Jangan menambah baris sendiri; bila daftar desa salah, minta koordinator "
        "memperbaiki daftar_wilayah lalu kirim template baru.",
    ),
    "desa-ganda": (
        E,
        "{where}: desa/kelurahan {value} muncul lagi (pertama di {first}); baris ini tidak "
        "dihitung. Hapus baris ganda dan isi jawaban di baris pertama.",
    ),
    "desa-tanpa-kode": (
        E,
        "{where}: baris berisi jawaban tetapi Kode Wilayah kosong; tidak dihitung. Isi jawaban "
        "pada baris desa/kelurahan yang sudah tercetak di template.",
    ),
    "jawaban-bukan-ya-tidak": (
        E,
        "{where}: '{value}' bukan Ya atau Tidak; tidak dihitung (dianggap belum memenuhi). "
        "Pilih Ya atau Tidak dari daftar.",
    ),
    "desa-belum-lengkap": (
        W,
        "{where}: {name} belum mengisi {value}; sel kosong dihitung belum memenuhi. "
        "Isi Ya atau Tidak di setiap sel kuning baris ini.",
    ),
    "desa-tidak-ada-di-berkas": (
        W,
        "{where}: desa/kelurahan {value} ({name}) tidak ada di lembar Desa; dihitung belum "
        "memenuhi. Kembalikan barisnya dari template asli dan isi jawabannya.",
    ),
    "kolom-pertanyaan-hilang": (
        W,
        "{where}: kolom pertanyaan {value} tidak ditemukan (judul kolom harus diawali kode "
        "pertanyaan); semua desa/kelurahan dihitung belum memenuhi. Kembalikan kolomnya.",
    ),
    "daftar-desa-berubah": (
        W,
        "{where}: template ini dibuat dengan daftar desa yang berbeda dari daftar_wilayah "
        "sekarang; desa/kelurahan dibaca menurut kodenya. Kirim template terbaru ke kecamatan.",
    ),
}


# Problems in the instrument (schemas/) that stop a run before any input is read: slug -> template.
# `{where}` is the file and row (or TOML table) named by the caller; every template says what to fix.
SETUP_CATALOGUE: dict[str, str] = {
    "instrumen-tidak-ditemukan": "Berkas instrumen tidak ditemukan: {path}",
    "instrumen-toml-rusak": "Berkas instrumen {path} salah tulis{where}: {detail}.",
    "instrumen-kolom-kurang": "{path}: kolom wajib tidak ada: {columns}.",
    "instrumen-bukan-utf8": "{path}: bukan teks UTF-8. Simpan ulang sebagai CSV UTF-8.",
    "peran-kosong": "{where}: kode peran kosong.",
    "peran-ganda": "{where}: kode peran '{kode}' muncul dua kali.",
    "peran-jenis-tidak-dikenal": "{where}: jenis peran '{jenis}' tidak dikenal; pilih {choices}.",
    "klaster-salah": "klaster ke-{position} ('{kode}'): kode kosong/ganda atau nilai_maks salah.",
    "klaster-tidak-ada": "tidak ada [[klaster]] di berkas instrumen.",
    "indikator-klaster-tidak-ada": "{where}: klaster '{klaster}' tidak ada di berkas instrumen.",
    "indikator-kode-salah": "{where}: kode indikator '{kode}' kosong atau ganda.",
    "indikator-nilai-salah": "{where}: nilai_maks '{nilai}' bukan angka >= 0.",
    "skala-tidak-ada": "[skala] tidak ada di berkas instrumen: tulis minimal satu skala jawaban.",
    "skala-bentuk-tidak-dikenal": "[skala.{jenis}]: bentuk '{bentuk}' tidak dikenal; pilih {choices}.",
    "skala-label-salah": "[skala.{jenis}]: daftar label kosong atau ada label ganda.",
    "skala-angka-berlabel": "[skala.{jenis}]: skala angka tidak memakai `label`; hapus daftarnya.",
    "sinonim-bukan-tabel": "[skala.{jenis}.sinonim] harus tabel label = [daftar teks].",
    "sinonim-label-tidak-dikenal": (
        "[skala.{jenis}.sinonim]: '{label}' bukan label skala ini; pilih {choices}."
    ),
    "sinonim-bukan-daftar": "[skala.{jenis}.sinonim]: '{label}' harus daftar teks.",
    "arah-bawaan-salah": "[skor] arah_bawaan '{arah}' tidak dikenal; tulis {choices}.",
    "pertanyaan-kode-kosong": "{where}: kode pertanyaan kosong.",
    "pertanyaan-kode-ganda": "{where}: kode '{kode}' sudah dipakai di baris {first}.",
    "pertanyaan-indikator-tidak-ada": "{where}: indikator '{indikator}' tidak ada di berkas indikator.",
    "pertanyaan-jenis-tidak-dikenal": "{where}: jenis '{jenis}' tidak dikenal; pilih {choices}.",
    "pertanyaan-arah-tidak-dikenal": (
        "{where}: arah '{arah}' tidak dikenal; pilih naik, turun, atau kosong."
    ),
    "pertanyaan-arah-untuk-label": (
        "{where}: arah hanya untuk jenis persen/jumlah, bukan '{jenis}'."
    ),
    "pertanyaan-nilai-salah": "{where}: nilai_maks '{nilai}' harus angka 0 atau lebih.",
    "pertanyaan-opd-tidak-dikenal": "{where}: opd_utama '{opd}' tidak ada di daftar peran OPD.",
    "pertanyaan-pendukung-tidak-dikenal": "{where}: opd_pendukung tidak dikenal: {roles}.",
    "pertanyaan-tingkat-salah": "{where}: tingkat_wilayah '{tingkat}' harus {choices}.",
    "skor-label-salah": "[skor.label.{jenis}] harus memberi bagian 0..1 untuk setiap label skala.",
    "skor-ambang-salah": "[skor.ambang.{jenis}.{arah}] tidak ada atau salah bentuk.",
    "kategori-salah": "[[kategori]] '{nama}': nama atau min salah.",
    "jumlah-indikator-salah": (
        "{file}: jumlah nilai_maks pertanyaan indikator {kode} = {summed}, tetapi {source} menulis "
        "{written}."
    ),
    "jumlah-klaster-salah": (
        "{file}: jumlah nilai_maks indikator klaster {kode} = {summed}, tetapi berkas instrumen "
        "menulis {written}."
    ),
    "jumlah-total-salah": "jumlah nilai_maks semua klaster = {summed}; harus tepat 1000.",
    # Region settings (region.py, region_check.py): `{where}` names the setting or table.
    "wilayah-tidak-ditemukan": "Berkas pengaturan wilayah tidak ditemukan: {path}",
    "wilayah-toml-rusak": "Berkas pengaturan wilayah {path} salah tulis{where}: {what}. {hints}",
    "wilayah-daftar-bukan-teks": 'daftar_wilayah: tulis nama berkas, misalnya "desa.csv".',
    "wilayah-peran-tidak-dikenal": (
        "[opd]/[peran_dialihkan] '{role}': kode peran tidak dikenal; {hint}kode yang ada di "
        "schemas/opd-peran.csv: {roles}."
    ),
    "wilayah-peralihan-tanpa-nama": (
        '[peran_dialihkan] {source} = "{target}": {target} tidak punya nama di [opd].'
    ),
    "wilayah-opd-kosong": (
        "[opd] {role}: nama kantor belum diisi (peran ini penanggung jawab pertanyaan). "
        'Tulis {role} = "nama kantor" atau alihkan di [peran_dialihkan].'
    ),
    "wilayah-tahun-beda": (
        "tahun = {tahun}, tetapi instrumen {instrumen} untuk tahun {tahun_instrumen}. "
        "Samakan tahun, atau pakai instrumen tahun itu."
    ),
    "wilayah-wajib-diisi": "{label}: wajib diisi (teks).",
    "wilayah-kode-salah": "kode_kemendagri '{kode}': format harus PP.KK, misalnya \"32.04\".",
    "wilayah-tahun-salah": (
        "tahun {value}: harus tahun empat angka tanpa tanda kutip, misalnya 2024."
    ),
    "wilayah-batas-salah": (
        "batas_pengumpulan {value}: harus tanggal TTTT-BB-HH tanpa tanda kutip, misalnya 2024-03-29."
    ),
    "wilayah-kecamatan-salah": 'kecamatan: harus daftar teks, misalnya ["Sukamaju", "Cibening"].',
    "wilayah-zona-salah": 'zona_waktu {value}: pilih "WIB", "WITA" atau "WIT".',
    "wilayah-tabel-salah": '[{key}]: harus tabel kode_peran = "teks".',
    "wilayah-nama-kosong": "[{key}] {role}: nama kosong; isi dengan teks.",
    "wilayah-bagian-tidak-dikenal": "bagian [{key}] tidak dikenal{hint} Isinya diabaikan.",
    "wilayah-pengaturan-tidak-dikenal": "pengaturan {key} tidak dikenal{hint}",
    "wilayah-salah-bagian": (
        "[{table}] {key}: {key} bukan bagian dari [{table}], jadi diabaikan. Pindahkan baris "
        "{key} = ... ke atas, sebelum baris [{table}] (pengaturan utama ditulis sebelum "
        "bagian pertama)."
    ),
    "wilayah-kunci-tidak-dikenal": "[{table}] {key}: tidak dikenal{hint} Yang dikenal: {keys}.",
}


class _Blank(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return ""


def where(file: str, sheet: str = "", cell: str = "", kode: str = "") -> str:
    """The location as a user reads it: `file, Isian!F14 (I17-P1)`."""
    place = f"{sheet}!{cell}" if sheet and cell else sheet
    text = ", ".join(part for part in (file, place) if part)
    return f"{text} ({kode})" if kode else text


def issue(
    code: str,
    *,
    file: str = "",
    sheet: str = "",
    cell: str = "",
    kode: str = "",
    value: Any = "",
    **fields: Any,
) -> dict[str, str]:
    """One ISSUES row for `code`; the message is filled from the location, value and fields."""
    severity, template = CATALOGUE[code]
    text_value = "" if value is None else str(value)
    shown = {name: indonesian_decimal(field) for name, field in fields.items()}
    # `value` is what the cell held, shown as typed; only a value the tool computed is localised
    typed = indonesian_decimal(text_value) if code in COMPUTED_VALUE_CODES else text_value
    context = _Blank(shown, where=where(file, sheet, cell, kode), value=typed)
    return {
        "severity": severity,
        "code": code,
        "file": file,
        "sheet": sheet,
        "cell": cell,
        "kode": kode,
        "value": text_value,
        "message": template.format_map(context),
    }


def indonesian_decimal(value: Any) -> Any:
    """A plain decimal number written the Indonesian way for messages (12.5 -> 12,5); else as is."""
    if isinstance(value, float):
        value = repr(value)
    if isinstance(value, str) and DECIMAL.match(value):
        return value.replace(".", ",")
    return value


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """The rows of a frame as dicts keyed by column name."""
    return [{str(k): v for k, v in row.items()} for row in frame.to_dict("records")]


def issues_frame(rows: Iterable[Mapping[str, str]]) -> pd.DataFrame:
    """An ISSUES DataFrame (string columns, in contract order) from issue() rows."""
    import pandas as pd

    return pd.DataFrame(list(rows), columns=list(ISSUES), dtype=object).fillna("")


SEVERITY_ORDER = {SEVERITY_ERROR: 0, SEVERITY_WARNING: 1}


def sort_issues(issues: pd.DataFrame) -> pd.DataFrame:
    """Errors first, then by file, sheet and row/column as the office reads its workbook."""
    import pandas as pd

    issues = issues.loc[:, list(ISSUES)].reset_index(drop=True)
    cell = issues["cell"].fillna("").astype(str)
    keys = pd.DataFrame(
        {
            "severity": issues["severity"].map(SEVERITY_ORDER).fillna(len(SEVERITY_ORDER)),
            "file": issues["file"].fillna("").astype(str),
            "sheet": issues["sheet"].fillna("").astype(str),
            "row": pd.to_numeric(cell.str.extract(r"(\d+)$")[0], errors="coerce").fillna(0),
            "column": cell.str.len(),
            "cell": cell,
            "code": issues["code"].fillna("").astype(str),
        }
    )
    order = keys.sort_values(list(keys.columns), kind="stable").index
    return issues.loc[order].reset_index(drop=True)


def setup_problem(code: str, **fields: Any) -> tuple[str, str]:
    """(slug, Indonesian message) for a problem in the instrument or region settings."""
    return code, SETUP_CATALOGUE[code].format_map(_Blank(fields))
