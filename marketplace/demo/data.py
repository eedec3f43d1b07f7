"""Word lists and product templates for the fictional OPOP demo world.

Every name here is combined at random with a real kecamatan name, so the pesantren are invented:
any likeness to a real pondok is a coincidence. The texts are Indonesian because they are shop
content, not interface strings.
"""

from dataclasses import dataclass

from sellers.models import Sector

DEMO_EMAIL_DOMAIN = "demo.pasarpesantren.id"
DEMO_PASSWORD = "pesantren123"

PESANTREN_PREFIXES = [
    ("Pondok Pesantren", 6),
    ("Pesantren", 3),
    ("Ponpes", 1),
]

PESANTREN_CORE_NAMES = [
    "Al-Hikmah",
    "Darussalam",
    "Miftahul Falah",
    "Al-Ikhlas",
    "Nurul Huda",
    "Darul Falah",
    "Baitul Hikmah",
    "Al-Muhajirin",
    "Riyadlul Jannah",
    "Sirojul Munir",
    "Al-Ittihad",
    "Darul Ulum",
    "Nurul Iman",
    "Al-Barokah",
    "Manbaul Ulum",
    "Al-Amanah",
    "Hidayatul Mubtadiin",
    "Raudlatul Ulum",
    "Al-Mubarok",
    "Darul Arqam",
    "Al-Furqon",
    "Bustanul Ulum",
    "Al-Hidayah",
    "Nurul Falah",
    "Baitussalam",
    "Al-Mukhtar",
    "Darul Muttaqien",
    "Al-Kautsar",
    "Assalafiyah",
    "Al-Musyawarah",
    "Tarbiyatul Falah",
    "Al-Inayah",
    "Sabilul Muttaqin",
    "Riyadhus Sholihin",
    "Nurul Anwar",
    "Al-Qudwah",
    "Daarul Qur'an",
    "Fathul Ulum",
    "Al-Ma'mur",
    "Hikmatul Iman",
    "Al-Ihsan",
    "Babussalam",
    "Al-Istiqomah",
    "Darul Ihsan",
    "Minhajul Karomah",
    "Al-Azhar Mandiri",
    "Cahaya Ilmu",
    "Daarut Tauhid Tani",
    "Nurussalam",
    "Al-Fatah",
    "Khoirul Ummah",
    "Mathlaul Anwar",
    "Annuriyah",
    "Al-Mizan",
    "Baitul Quran",
]

TAGLINES = [
    "Santri mandiri, umat berdaya",
    "Berkah dari dapur santri",
    "Ngaji, ngaos, sareng usaha",
    "Produk halal karya santri",
    "Dari pesantren untuk negeri",
    "Mandiri lewat usaha bersama",
    "Tradisi pesantren, mutu terjaga",
    "Belajar, berkarya, berbagi",
    "Santripreneur dari tanah Pasundan",
    "Usaha santri, rezeki berkah",
    "Amanah dalam setiap produk",
    "Menjaga alam, menghidupi pesantren",
]

STORY_OPENINGS = [
    "{name} berdiri pada tahun {year} di {kecamatan}, {kabupaten}, dan kini membina sekitar {santri} santri.",
    "Sejak {year}, {name} mendidik santri di {kecamatan}, {kabupaten}; saat ini ada sekitar {santri} santri mukim.",
    "{name} dirintis oleh para kiai kampung pada tahun {year} dan sekarang menampung kurang lebih {santri} santri.",
]

SECTOR_STORIES = {
    Sector.FOOD: "Unit usaha dapurnya mengolah hasil kebun warga menjadi camilan yang dikemas rapi oleh santri putri.",
    Sector.DRINKS: "Santri belajar merawat kebun kopi dan lebah madu di lereng bukit, lalu mengolah hasilnya sendiri.",
    Sector.FASHION: "Koperasi pesantren menjahit dan membatik busana muslim dengan motif khas Jawa Barat.",
    Sector.CRAFTS: "Para santri menganyam bambu dan mengukir kayu bersama perajin kampung sekitar pesantren.",
    Sector.AGRICULTURE: "Sawah dan kebun organik pesantren menjadi tempat santri belajar bertani ramah lingkungan.",
    Sector.FISHERIES: "Kolam lele dan nila dikelola santri, lalu hasilnya diasap dan diolah menjadi abon.",
    Sector.LIVESTOCK: "Kandang domba dan ayam petelur pesantren menjadi sekolah beternak bagi para santri.",
    Sector.HERBAL: "Santri meracik sabun dan minyak herbal dari sereh, kelor, dan tanaman obat kebun pesantren.",
}

STORY_CLOSINGS = [
    "Keuntungan usaha dipakai untuk beasiswa santri yatim dan dhuafa.",
    "Melalui program OPOP, produknya kini dipasarkan ke luar kabupaten.",
    "Usaha ini menopang biaya pondok sehingga santri dapat belajar dengan tenang.",
    "Hasil penjualan juga membantu warga sekitar yang ikut menjadi pemasok bahan baku.",
]

CONTACT_TITLES = ["KH.", "Ustadz", "Ustadzah", "H.", "Hj.", "Kang", "Teh"]
FIRST_NAMES = [
    "Ahmad",
    "Asep",
    "Dede",
    "Euis",
    "Siti",
    "Ujang",
    "Cecep",
    "Neneng",
    "Iwan",
    "Yayan",
    "Ai",
    "Entin",
    "Rahmat",
    "Hilman",
    "Nur",
    "Fauzan",
    "Dadang",
    "Imas",
    "Agus",
    "Lilis",
]
LAST_NAMES = [
    "Saepudin",
    "Supriatna",
    "Komariah",
    "Hidayat",
    "Kurniawan",
    "Rohmat",
    "Mulyana",
    "Nurjanah",
    "Sobari",
    "Fauzi",
    "Maulana",
    "Hermawan",
    "Solihin",
    "Rosidah",
    "Setiawan",
]

STREETS = [
    "Jl. KH. Zaenal Mustofa",
    "Jl. Raya Pesantren",
    "Jl. Cagak",
    "Jl. Sukamulya",
    "Jl. Pasir Ipis",
    "Jl. Mekarsari",
    "Jl. Babakan Santri",
    "Jl. Situ Gede",
    "Jl. Cikadu",
    "Jl. Leuwi Sari",
]
KAMPUNGS = ["Sukamaju", "Cibodas", "Pasirjati", "Babakan", "Cilimus", "Sindanglaya", "Cigugur", "Pamoyanan"]

# (bank name, account-number length)
BANKS = [
    ("Bank Syariah Indonesia (BSI)", 10),
    ("Bank Syariah Indonesia (BSI)", 10),
    ("BRI", 15),
    ("Bank BJB", 13),
    ("Bank BJB Syariah", 13),
    ("Bank Mandiri", 13),
    ("BNI", 10),
]

WHATSAPP_PREFIXES = ["812", "813", "821", "822", "852", "853", "857", "877", "878", "895", "896"]

# How many verified pesantren each sector gets in the full world: food and drinks lead, as in OPOP.
SECTOR_SHARES = [
    (Sector.FOOD, 13),
    (Sector.DRINKS, 8),
    (Sector.FASHION, 6),
    (Sector.CRAFTS, 4),
    (Sector.AGRICULTURE, 4),
    (Sector.FISHERIES, 3),
    (Sector.LIVESTOCK, 3),
    (Sector.HERBAL, 4),
]

# Products per pesantren by sector in the full world: (min, max).
PRODUCTS_PER_PESANTREN = {
    Sector.FOOD: (8, 10),
    Sector.DRINKS: (7, 9),
}
DEFAULT_PRODUCTS_PER_PESANTREN = (6, 7)


@dataclass(frozen=True)
class Size:
    label: str
    weight_grams: int
    min_price: int
    max_price: int


@dataclass(frozen=True)
class ProductTemplate:
    """A family of products: every base name with every variant and size is one product title.

    `licence` says which numbers the product carries: "food" (P-IRT or BPOM MD, usually halal),
    "halal" (halal only) or "" (none).
    """

    category: str
    bases: tuple[str, ...]
    variants: tuple[str, ...]
    sizes: tuple[Size, ...]
    unit: str
    licence: str
    description: str


def _sizes(*rows: tuple[str, int, int, int]) -> tuple[Size, ...]:
    return tuple(Size(*row) for row in rows)


PRODUCT_TEMPLATES: dict[str, tuple[ProductTemplate, ...]] = {
    Sector.FOOD: (
        ProductTemplate(
            category="Makanan > Keripik",
            bases=("Keripik Singkong", "Keripik Pisang", "Keripik Tempe", "Keripik Talas", "Keripik Ubi Ungu"),
            variants=("Original", "Pedas", "Balado", "Keju", "Jagung Bakar"),
            sizes=_sizes(("100 g", 130, 12000, 15000), ("250 g", 300, 18000, 25000), ("500 g", 560, 32000, 45000)),
            unit="pak",
            licence="food",
            description=(
                "{title} digoreng dalam minyak baru lalu dibumbui rata, renyah sampai gigitan terakhir. "
                "Dibuat oleh santri {pesantren} dari bahan pilihan petani {kabupaten}. "
                "Simpan di tempat kering setelah kemasan dibuka."
            ),
        ),
        ProductTemplate(
            category="Makanan > Kue",
            bases=("Rengginang", "Opak Ketan", "Kue Semprong", "Kue Bawang", "Dodol Garut", "Wajit Cililin"),
            variants=("Original", "Pandan", "Gula Aren", "Wijen"),
            sizes=_sizes(("200 g", 230, 14000, 20000), ("400 g", 450, 24000, 36000)),
            unit="pak",
            licence="food",
            description=(
                "{title} dibuat dengan resep turun-temurun dapur {pesantren}. "
                "Tanpa pengawet, cocok untuk suguhan tamu dan oleh-oleh khas {kabupaten}."
            ),
        ),
        ProductTemplate(
            category="Makanan > Sambal",
            bases=("Sambal Cumi", "Sambal Bawang", "Sambal Roa", "Sambal Terasi", "Sambal Ijo"),
            variants=("Level 1", "Level 3", "Level 5"),
            sizes=_sizes(("150 g", 260, 22000, 30000), ("250 g", 380, 32000, 42000)),
            unit="botol",
            licence="food",
            description=(
                "{title} diulek dari cabai segar dan dimasak sampai matang sehingga awet tanpa pengawet. "
                "Diproduksi di dapur usaha {pesantren}, {kabupaten}. Dikemas dalam botol kaca tertutup rapat."
            ),
        ),
    ),
    Sector.DRINKS: (
        ProductTemplate(
            category="Minuman > Kopi",
            bases=("Kopi Arabika Java Preanger", "Kopi Robusta Pasundan", "Kopi Arabika Gunung Puntang"),
            variants=("Biji Sangrai", "Bubuk Halus", "Natural Process", "Honey Process"),
            sizes=_sizes(("200 g", 230, 55000, 85000), ("500 g", 540, 120000, 180000), ("1 kg", 1050, 220000, 340000)),
            unit="pak",
            licence="food",
            description=(
                "{title} dipetik merah oleh santri di kebun binaan {pesantren}, lalu disangrai dalam jumlah kecil. "
                "Aroma cokelat dan rempah khas dataran tinggi {kabupaten}."
            ),
        ),
        ProductTemplate(
            category="Minuman > Teh",
            bases=("Teh Hijau", "Teh Hitam", "Teh Rosella", "Teh Daun Kelor"),
            variants=("Tubruk", "Celup"),
            sizes=_sizes(("50 g", 90, 15000, 22000), ("100 g", 150, 25000, 38000)),
            unit="kotak",
            licence="food",
            description=(
                "{title} dari pucuk pilihan kebun {kabupaten}, dikeringkan perlahan agar rasanya tetap segar. "
                "Dikemas santri {pesantren}."
            ),
        ),
        ProductTemplate(
            category="Minuman > Madu",
            bases=("Madu Hutan", "Madu Klanceng", "Madu Randu", "Madu Kaliandra"),
            variants=("Murni",),
            sizes=_sizes(("250 g", 400, 65000, 95000), ("500 g", 700, 110000, 165000), ("1 kg", 1250, 200000, 320000)),
            unit="botol",
            licence="food",
            description=(
                "{title} dipanen dari peternakan lebah {pesantren} tanpa campuran gula. "
                "Kadar air dijaga rendah sehingga awet dan kental."
            ),
        ),
        ProductTemplate(
            category="Minuman > Minuman Serbuk",
            bases=("Jahe Merah Instan", "Kunyit Asam Instan", "Temulawak Instan", "Bandrek Instan", "Bajigur Instan"),
            variants=("Gula Aren", "Tanpa Gula"),
            sizes=_sizes(("250 g", 280, 18000, 28000), ("500 g", 540, 32000, 48000)),
            unit="pak",
            licence="food",
            description=(
                "{title} diseduh air panas untuk menghangatkan badan. "
                "Diracik dari rimpang segar hasil kebun {pesantren}, {kabupaten}."
            ),
        ),
    ),
    Sector.FASHION: (
        ProductTemplate(
            category="Busana > Kerudung",
            bases=("Kerudung Segi Empat", "Kerudung Bergo", "Pashmina", "Kerudung Instan Santri"),
            variants=("Voal", "Katun Paris", "Ceruty", "Jersey"),
            sizes=_sizes(("", 150, 35000, 95000)),
            unit="pcs",
            licence="",
            description=(
                "{title} dijahit rapi oleh santri putri {pesantren}. Bahan adem, jatuh, dan nyaman dipakai seharian."
            ),
        ),
        ProductTemplate(
            category="Busana > Peci",
            bases=("Peci Rajut", "Peci Hitam Beludru", "Kopiah Anyaman", "Peci Batik"),
            variants=("Ukuran 6", "Ukuran 7", "Ukuran 8"),
            sizes=_sizes(("", 120, 25000, 75000)),
            unit="pcs",
            licence="",
            description=(
                "{title} buatan tangan perajin {pesantren}, {kabupaten}. Kuat, ringan, dan tidak mudah berubah bentuk."
            ),
        ),
        ProductTemplate(
            category="Busana > Sarung",
            bases=("Sarung Tenun", "Sarung Songket", "Sarung Santri"),
            variants=("Motif Kotak", "Motif Hujan Gerimis", "Polos"),
            sizes=_sizes(("", 450, 85000, 250000)),
            unit="pcs",
            licence="",
            description=(
                "{title} ditenun dengan benang katun pilihan. "
                "Produk koperasi {pesantren} untuk ibadah dan acara keluarga."
            ),
        ),
        ProductTemplate(
            category="Busana > Batik",
            bases=("Kemeja Batik", "Kain Batik Tulis", "Kain Batik Cap"),
            variants=("Motif Mega Mendung", "Motif Merak Ngibing", "Motif Kawung Pasundan", "Motif Lereng"),
            sizes=_sizes(("", 350, 120000, 350000)),
            unit="pcs",
            licence="",
            description=(
                "{title} dibatik santri {pesantren} dengan pewarna yang aman. "
                "Setiap lembar sedikit berbeda karena dibuat dengan tangan."
            ),
        ),
    ),
    Sector.CRAFTS: (
        ProductTemplate(
            category="Kerajinan > Anyaman Bambu",
            bases=("Besek Bambu", "Tampah Bambu", "Keranjang Anyaman", "Tudung Saji Bambu", "Boboko"),
            variants=("Kecil", "Sedang", "Besar"),
            sizes=_sizes(("", 400, 15000, 85000)),
            unit="pcs",
            licence="",
            description=(
                "{title} dianyam dari bambu tali yang diawetkan alami. "
                "Hasil kerja santri dan perajin sekitar {pesantren}."
            ),
        ),
        ProductTemplate(
            category="Kerajinan > Kayu",
            bases=("Rehal Kayu Jati", "Tasbih Kayu Kokka", "Kotak Tisu Ukir", "Talenan Kayu Mahoni"),
            variants=("Natural", "Ukir Kaligrafi"),
            sizes=_sizes(("", 600, 25000, 180000)),
            unit="pcs",
            licence="",
            description=(
                "{title} diamplas halus dan dilapisi pelitur aman. Dibuat di bengkel kayu {pesantren}, {kabupaten}."
            ),
        ),
        ProductTemplate(
            category="Kerajinan > Kaligrafi",
            bases=("Kaligrafi Ayat Kursi", "Kaligrafi Asmaul Husna", "Kaligrafi Basmalah"),
            variants=("Kanvas 40x60 cm", "Kuningan Bingkai Kayu"),
            sizes=_sizes(("", 1500, 150000, 350000)),
            unit="pcs",
            licence="",
            description=(
                "{title} dikerjakan oleh santri kelas khat {pesantren}. Siap gantung, dikemas aman dengan kardus tebal."
            ),
        ),
    ),
    Sector.AGRICULTURE: (
        ProductTemplate(
            category="Pertanian > Beras",
            bases=("Beras Pandan Wangi Cianjur", "Beras Merah Organik", "Beras Hitam Organik", "Beras Sentra Ramos"),
            variants=("Premium", "Pulen"),
            sizes=_sizes(("1 kg", 1050, 18000, 32000), ("5 kg", 5100, 75000, 140000), ("10 kg", 10200, 145000, 270000)),
            unit="karung",
            licence="",
            description=(
                "{title} ditanam di sawah {pesantren} tanpa pestisida kimia dan digiling sesaat sebelum dikirim."
            ),
        ),
        ProductTemplate(
            category="Pertanian > Sayur & Buah",
            bases=("Alpukat Mentega", "Jeruk Garut", "Manggis Purwakarta", "Sayur Organik Campur", "Cabai Rawit Merah"),
            variants=("Grade A",),
            sizes=_sizes(("1 kg", 1100, 20000, 60000), ("2 kg", 2150, 38000, 110000)),
            unit="kg",
            licence="",
            description="{title} dipetik langsung dari kebun {pesantren} pada hari pengiriman agar tetap segar.",
        ),
        ProductTemplate(
            category="Pertanian > Pupuk Organik",
            bases=("Pupuk Kompos", "Pupuk Kascing", "Pupuk Organik Cair"),
            variants=("Curah",),
            sizes=_sizes(("5 kg", 5200, 25000, 45000), ("20 kg", 20300, 80000, 140000)),
            unit="karung",
            licence="",
            description=(
                "{title} diolah dari kotoran ternak dan sisa dapur {pesantren}. Menyuburkan tanah tanpa merusak."
            ),
        ),
    ),
    Sector.FISHERIES: (
        ProductTemplate(
            category="Perikanan > Ikan Asap",
            bases=("Lele Asap", "Nila Asap", "Belut Asap"),
            variants=("Original", "Bumbu Kuning"),
            sizes=_sizes(("250 g", 300, 35000, 55000), ("500 g", 560, 65000, 95000)),
            unit="pak",
            licence="food",
            description=(
                "{title} diasap perlahan dengan kayu sabut kelapa di rumah produksi {pesantren}. "
                "Tinggal dipanaskan sebelum disantap."
            ),
        ),
        ProductTemplate(
            category="Perikanan > Olahan Ikan",
            bases=("Abon Lele", "Kerupuk Kulit Ikan", "Nugget Ikan Nila", "Pepes Ikan Mas Beku"),
            variants=("Original", "Pedas"),
            sizes=_sizes(("100 g", 130, 20000, 30000), ("250 g", 300, 38000, 60000)),
            unit="pak",
            licence="food",
            description=(
                "{title} diolah dari ikan segar kolam {pesantren}, {kabupaten}. Kaya protein untuk lauk keluarga."
            ),
        ),
    ),
    Sector.LIVESTOCK: (
        ProductTemplate(
            category="Peternakan > Telur",
            bases=("Telur Ayam Kampung", "Telur Bebek", "Telur Asin"),
            variants=("Segar",),
            sizes=_sizes(("10 butir", 700, 22000, 38000), ("30 butir", 2000, 60000, 105000)),
            unit="pak",
            licence="",
            description=(
                "{title} dari kandang {pesantren} yang ayam dan bebeknya diberi pakan alami. "
                "Dikemas aman agar tidak pecah."
            ),
        ),
        ProductTemplate(
            category="Peternakan > Olahan Daging & Susu",
            bases=("Abon Sapi", "Rendang Domba", "Dendeng Sapi", "Susu Kambing Bubuk", "Yoghurt Susu Sapi"),
            variants=("Original", "Pedas Manis"),
            sizes=_sizes(("100 g", 140, 28000, 45000), ("250 g", 320, 60000, 110000)),
            unit="pak",
            licence="food",
            description="{title} diolah dari hasil peternakan {pesantren}. Dimasak higienis dan dikemas vakum.",
        ),
    ),
    Sector.HERBAL: (
        ProductTemplate(
            category="Herbal & Kosmetik > Sabun",
            bases=("Sabun Sereh Wangi", "Sabun Daun Kelor", "Sabun Madu Susu Kambing", "Sabun Arang Bambu"),
            variants=("Batang",),
            sizes=_sizes(("100 g", 120, 15000, 28000), ("Isi 3", 340, 40000, 75000)),
            unit="pcs",
            licence="halal",
            description=(
                "{title} dibuat dengan proses dingin dari minyak nabati dan tanaman kebun {pesantren}. "
                "Lembut untuk kulit sensitif."
            ),
        ),
        ProductTemplate(
            category="Herbal & Kosmetik > Minyak Herbal",
            bases=("Minyak Sereh", "Minyak Kayu Putih", "Minyak Zaitun Rempah", "Minyak Gosok Jahe"),
            variants=("Roll On", "Botol Tetes"),
            sizes=_sizes(("30 ml", 80, 18000, 35000), ("60 ml", 130, 30000, 55000)),
            unit="botol",
            licence="halal",
            description=(
                "{title} hasil sulingan santri {pesantren}. Menghangatkan dan meredakan pegal setelah beraktivitas."
            ),
        ),
        ProductTemplate(
            category="Herbal & Kosmetik > Jamu",
            bases=("Jamu Beras Kencur", "Jamu Kunyit Asam", "Jamu Sirih Merah"),
            variants=("Cair",),
            sizes=_sizes(("250 ml", 300, 12000, 20000), ("1 liter", 1100, 38000, 60000)),
            unit="botol",
            licence="food",
            description="{title} diracik segar setiap pekan di dapur herbal {pesantren}. Simpan di lemari pendingin.",
        ),
    ),
}

# Background colours for generated images, by top-level category.
CATEGORY_COLOURS = {
    "Makanan": (196, 98, 45),
    "Minuman": (110, 72, 48),
    "Busana": (46, 92, 138),
    "Kerajinan": (150, 112, 60),
    "Pertanian": (70, 130, 60),
    "Perikanan": (36, 120, 140),
    "Peternakan": (170, 130, 40),
    "Herbal & Kosmetik": (96, 140, 90),
}

SECTOR_COLOURS = {
    Sector.FOOD: (196, 98, 45),
    Sector.DRINKS: (110, 72, 48),
    Sector.FASHION: (46, 92, 138),
    Sector.CRAFTS: (150, 112, 60),
    Sector.AGRICULTURE: (70, 130, 60),
    Sector.FISHERIES: (36, 120, 140),
    Sector.LIVESTOCK: (170, 130, 40),
    Sector.HERBAL: (96, 140, 90),
}

PENDING_CHANGES_REASON = (
    "Foto piagam NSPP kurang jelas dan nomor rekening belum atas nama yayasan. Mohon unggah ulang dan perbaiki."
)

# --- Business buyers (off-takers) ---------------------------------------------------------------
# Fictional companies; the NPWPs are made-up 15-digit numbers with a valid check digit.

KATERING_COMPANY = {
    "legal_name": "PT Katering Barokah Nusantara",
    "npwp": "02.731.455.8-423.000",
    "business_type": "caterer",
    "address": "Jl. Soekarno-Hatta No. 590, Kel. Sekejati, Kec. Buahbatu, Kota Bandung, Jawa Barat 40286",
    "contact_name": "Hj. Neneng Rohayati",
    "contact_phone": "+6222 7561234",
    "contact_email": f"katering@{DEMO_EMAIL_DOMAIN}",
}
KATERING_CREDIT_LIMIT = 50_000_000
KATERING_PAYMENT_TERMS_DAYS = 30
KATERING_APPROVAL_THRESHOLD = 5_000_000
# Where the caterer's kitchen is: the delivery address of its orders.
KATERING_KABUPATEN = "Kota Bandung"
KATERING_KECAMATAN = "Buahbatu"
KATERING_DESA = "Sekejati"
KATERING_STREET = "Jl. Soekarno-Hatta No. 590 (dapur pusat)"

OLEH_OLEH_COMPANY = {
    "legal_name": "CV Oleh-Oleh Priangan",
    "npwp": "03.118.902.0-441.000",
    "business_type": "retailer",
    "address": "Jl. Otto Iskandardinata No. 112, Kec. Garut Kota, Kabupaten Garut, Jawa Barat 44112",
    "contact_name": "Dadang Hermawan",
    "contact_phone": "+62262 233445",
    "contact_email": f"oleholeh@{DEMO_EMAIL_DOMAIN}",
}

APPLIED_COMPANY = {
    "legal_name": "PT Sari Rasa Cirebon",
    "npwp": "04.720.553.9-426.000",
    "business_type": "wholesaler",
    "address": "Jl. Siliwangi No. 41, Kec. Kejaksan, Kota Cirebon, Jawa Barat 45123",
    "contact_name": "Rudi Hartono",
    "contact_phone": "+62231 204567",
    "contact_email": f"sarirasa@{DEMO_EMAIL_DOMAIN}",
}

# Purchase order numbers of the caterer's demo purchases: their natural keys.
OVERDUE_ORDER_PO = "KBN/PO/0042"
INVOICE_ORDER_PO = "KBN/PO/0107"
PURCHASE_REQUEST_PO = "KBN/PO/0115"
# The older invoice is shown as issued this many days ago (net 30), so it is 15 days overdue.
OVERDUE_INVOICE_AGE_DAYS = 45

# The caterer's request for quotation, sent to every pesantren selling in a category.
RFQ_PREFERRED_CATEGORY = "Peternakan > Telur"
RFQ_TITLE = "Pasokan rutin {category} untuk dapur katering"
RFQ_SPECIFICATION = (
    "Kami memasak ±1.500 porsi per hari untuk kantor dan sekolah di Bandung. Kami mencari pasokan "
    "{category} yang segar dan seragam, dikemas aman untuk pengiriman, dikirim dua kali seminggu ke "
    "dapur kami di Buahbatu selama tiga bulan. Mohon sertakan sertifikat halal bila ada."
)
RFQ_QUANTITY = 300
RFQ_MESSAGES = (
    ("company", "Assalamualaikum. Apakah pengiriman bisa dibagi dua kali seminggu, Senin dan Kamis pagi?"),
    (
        "pesantren",
        "Waalaikumsalam. Bisa, Bu. Kami kirim Senin dan Kamis sebelum pukul 07.00; ongkos kirim sudah kami hitung.",
    ),
)
# Two pesantren quote: (share of the category's average retail price, lead time in days, note).
RFQ_QUOTES = (
    (0.88, 5, "Harga per kemasan sudah termasuk tray dan kardus. Stok kami cukup untuk tiga bulan."),
    (0.84, 9, "Kami siapkan bertahap dari beberapa kandang santri; pengiriman pertama sembilan hari setelah pesanan."),
)
