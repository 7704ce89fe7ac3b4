//! Static tables: the per-locale bundles (built from the `fake` crate's locale data where it has
//! them) and our own small tables where it has none (regions with postal-code prefixes,
//! products, colours, file types, currencies, …).
//!
//! Every table here is part of the output contract: reordering or editing an entry changes
//! generated values.

use std::sync::OnceLock;

use fake::locales::{DE_DE, Data, EN, FR_FR, JA_JP, PT_BR};

use super::util::Tpl;
use crate::context::Locale;

/// A first-level subdivision (US state, French région, German Land, Brazilian state, Japanese
/// prefecture) with its postal-code prefixes and a few of its cities.
pub(crate) struct Region {
    pub name: &'static str,
    pub abbr: &'static str,
    /// Inclusive ranges of the postal-code prefix (`Loc::zip_prefix` digits, zero-padded).
    pub zips: &'static [(u16, u16)],
    pub cities: &'static [&'static str],
}

/// How a street line is laid out.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum StreetStyle {
    /// `1234 Name Suffix` (en).
    NumberNameSuffix,
    /// `12 Suffix Name` (fr).
    NumberSuffixName,
    /// `Namesuffix 12` (de).
    NameSuffixNumber,
    /// `Suffix Name, 123` (pt_BR).
    SuffixNameCommaNumber,
    /// `Town1丁目2-3` (ja_JP).
    Chome,
}

/// Everything locale-dependent, in one place.
pub(crate) struct Loc {
    pub first_names: &'static [&'static str],
    pub last_names: &'static [&'static str],
    /// Family name first (`佐藤 あかり`).
    pub family_first: bool,
    pub titles: &'static [&'static str],
    pub regions: &'static [Region],
    /// Digits of the region-bound postal-code prefix.
    pub zip_prefix: usize,
    /// Template appended after the prefix (`#` = digit).
    pub zip_tail: &'static str,
    pub street_style: StreetStyle,
    pub street_suffixes: &'static [&'static str],
    pub building_numbers: &'static [&'static str],
    pub secondary: &'static [&'static str],
    pub country: &'static str,
    pub country_code: &'static str,
    pub time_zones: &'static [&'static str],
    /// Latitude and longitude bounds in micro-degrees: (lat_lo, lat_hi, lon_lo, lon_hi).
    pub bbox: (i64, i64, i64, i64),
    pub phones: &'static [&'static str],
    pub cells: &'static [&'static str],
    pub company_suffixes: &'static [&'static str],
    /// The word joining two names in a company name (`and`, `et`, …); empty = no such form.
    pub and: &'static str,
    /// Company suffix written before the name without a space (ja_JP `株式会社佐藤`).
    pub suffix_glued: bool,
    pub seniority: &'static [&'static str],
    pub job_fields: &'static [&'static str],
    pub positions: &'static [&'static str],
    /// Job title parts are glued without spaces (ja_JP).
    pub job_glued: bool,
    pub free_email: &'static [&'static str],
    pub tlds: &'static [&'static str],
    pub plates: &'static [&'static str],
    /// GS1 prefixes (3 digits) for EAN-13 codes registered in the locale's country.
    pub gs1: &'static [(u16, u16)],
    /// IBAN country for this locale (`None`: pick from [`IBAN_COUNTRIES`]).
    pub iban: Option<usize>,
}

/// The bundle of a locale.
#[inline]
pub(crate) fn loc(locale: Locale) -> &'static Loc {
    match locale {
        Locale::En => &LOC_EN,
        Locale::FrFr => &LOC_FR,
        Locale::DeDe => &LOC_DE,
        Locale::PtBr => &LOC_PT,
        Locale::JaJp => &LOC_JA,
    }
}

/// The templates of a locale expanded on every record, prepared once ([`Tpl`]), index-aligned
/// with the tables of its [`Loc`].
pub(crate) struct Templates {
    pub phones: Box<[Tpl]>,
    pub cells: Box<[Tpl]>,
    pub building_numbers: Box<[Tpl]>,
}

/// The prepared templates of `locale`.
#[inline]
pub(crate) fn templates(locale: Locale) -> &'static Templates {
    static ALL: [OnceLock<Templates>; 5] = [const { OnceLock::new() }; 5];
    ALL[locale as usize].get_or_init(|| {
        let l = loc(locale);
        Templates {
            phones: Tpl::all(l.phones),
            cells: Tpl::all(l.cells),
            building_numbers: Tpl::all(l.building_numbers),
        }
    })
}

/// All bundles (tests and bounds).
#[cfg(test)]
pub(crate) const ALL_LOCS: [&Loc; 5] = [&LOC_EN, &LOC_FR, &LOC_DE, &LOC_PT, &LOC_JA];

static LOC_EN: Loc = Loc {
    first_names: <EN as Data>::NAME_FIRST_NAME,
    last_names: <EN as Data>::NAME_LAST_NAME,
    family_first: false,
    titles: <EN as Data>::NAME_TITLE,
    regions: US_STATES,
    zip_prefix: 3,
    zip_tail: "##",
    street_style: StreetStyle::NumberNameSuffix,
    street_suffixes: <EN as Data>::ADDRESS_STREET_SUFFIX,
    building_numbers: &["^####", "^###", "^##"],
    secondary: &["Apt. ^##", "Apt. ^#", "Suite ^##", "Unit ^#", "Floor ^"],
    country: "United States",
    country_code: "US",
    time_zones: &[
        "America/New_York",
        "America/Chicago",
        "America/Denver",
        "America/Phoenix",
        "America/Los_Angeles",
        "America/Anchorage",
        "America/Detroit",
        "America/Indiana/Indianapolis",
        "Pacific/Honolulu",
    ],
    bbox: (25_000_000, 49_000_000, -124_000_000, -67_000_000),
    // NANP numbers as people write them (fake's table also has `x####` extensions, which
    // most phone fields reject).
    phones: &["^##-###-####", "(^##) ###-####", "^##.###.####", "1-^##-###-####", "+1 ^##-###-####"],
    cells: <EN as Data>::PHONE_CELL_NUMBER_FORMATS,
    company_suffixes: &["Inc", "LLC", "Group", "and Sons", "Corp", "Co", "Partners", "Holdings"],
    and: "and",
    suffix_glued: false,
    seniority: <EN as Data>::JOB_SENIORITY,
    job_fields: <EN as Data>::JOB_FIELD,
    positions: <EN as Data>::JOB_POSITION,
    job_glued: false,
    free_email: &["gmail.com", "yahoo.com", "hotmail.com", "outlook.com", "icloud.com", "proton.me"],
    tlds: <EN as Data>::INTERNET_DOMAIN_SUFFIX,
    plates: &["???-####", "#???###", "### ???", "??# ####"],
    gs1: &[(0, 139)],
    iban: None,
};

static LOC_FR: Loc = Loc {
    first_names: <FR_FR as Data>::NAME_FIRST_NAME,
    last_names: <FR_FR as Data>::NAME_LAST_NAME,
    family_first: false,
    titles: <FR_FR as Data>::NAME_TITLE,
    regions: FR_REGIONS,
    zip_prefix: 2,
    zip_tail: "###",
    street_style: StreetStyle::NumberSuffixName,
    street_suffixes: <FR_FR as Data>::ADDRESS_STREET_SUFFIX,
    building_numbers: &["^", "^#", "^#", "^##"],
    secondary: &["Appartement ^#", "Appartement ^", "Bâtiment ^", "Étage ^", "Escalier ^"],
    country: "France",
    country_code: "FR",
    time_zones: <FR_FR as Data>::ADDRESS_TIME_ZONE,
    bbox: (42_400_000, 51_000_000, -4_700_000, 8_200_000),
    phones: <FR_FR as Data>::PHONE_NUMBER_FORMATS,
    cells: <FR_FR as Data>::PHONE_CELL_NUMBER_FORMATS,
    company_suffixes: &["SA", "SARL", "SAS", "SNC", "et Fils", "& Associés"],
    and: "et",
    suffix_glued: false,
    seniority: <EN as Data>::JOB_SENIORITY,
    job_fields: <EN as Data>::JOB_FIELD,
    positions: <EN as Data>::JOB_POSITION,
    job_glued: false,
    free_email: <FR_FR as Data>::INTERNET_FREE_EMAIL_PROVIDER,
    tlds: &["fr", "com", "net", "org", "eu"],
    plates: &["??-###-??"],
    gs1: &[(300, 379)],
    iban: Some(1),
};

static LOC_DE: Loc = Loc {
    first_names: <DE_DE as Data>::NAME_FIRST_NAME,
    last_names: <DE_DE as Data>::NAME_LAST_NAME,
    family_first: false,
    titles: <DE_DE as Data>::NAME_TITLE,
    regions: DE_LAENDER,
    zip_prefix: 2,
    zip_tail: "###",
    street_style: StreetStyle::NameSuffixNumber,
    street_suffixes: <DE_DE as Data>::ADDRESS_STREET_SUFFIX,
    building_numbers: &["^", "^#", "^#", "^##"],
    secondary: &["Etage ^", "Hinterhaus", "Aufgang ^", "Gebäude ^", "Wohnung ^#"],
    country: "Deutschland",
    country_code: "DE",
    time_zones: &["Europe/Berlin"],
    bbox: (47_300_000, 55_000_000, 5_900_000, 15_000_000),
    phones: &[
        "030 ########",
        "040 ########",
        "089 ########",
        "069 ########",
        "0221 #######",
        "0711 #######",
        "0^## #######",
        "0^### ######",
    ],
    cells: &["015^ ########", "016^ #######", "017^ #######"],
    company_suffixes: <DE_DE as Data>::COMPANY_SUFFIX,
    and: "und",
    suffix_glued: false,
    seniority: <EN as Data>::JOB_SENIORITY,
    job_fields: <EN as Data>::JOB_FIELD,
    positions: <EN as Data>::JOB_POSITION,
    job_glued: false,
    free_email: &["gmx.de", "web.de", "t-online.de", "gmail.com", "posteo.de", "freenet.de"],
    tlds: &["de", "com", "net", "org", "eu"],
    plates: &["? ?? ####", "?? ?? ###", "??? ? ###", "? ? ####"],
    gs1: &[(400, 440)],
    iban: Some(0),
};

static LOC_PT: Loc = Loc {
    first_names: <PT_BR as Data>::NAME_FIRST_NAME,
    last_names: PT_LAST_NAMES,
    family_first: false,
    titles: &["Sr.", "Sra.", "Dr.", "Dra."],
    regions: BR_STATES,
    zip_prefix: 3,
    zip_tail: "##-###",
    street_style: StreetStyle::SuffixNameCommaNumber,
    street_suffixes: <PT_BR as Data>::ADDRESS_STREET_SUFFIX,
    building_numbers: &["^", "^#", "^##", "^###"],
    secondary: &["Apto. ^##", "Apto. ^#", "Sala ^#", "Bloco ^", "Casa ^"],
    country: "Brasil",
    country_code: "BR",
    time_zones: &[
        "America/Sao_Paulo",
        "America/Manaus",
        "America/Recife",
        "America/Fortaleza",
        "America/Belem",
        "America/Cuiaba",
    ],
    bbox: (-33_700_000, 5_200_000, -73_900_000, -34_800_000),
    phones: <PT_BR as Data>::PHONE_NUMBER_FORMATS,
    cells: <PT_BR as Data>::PHONE_CELL_NUMBER_FORMATS,
    company_suffixes: <PT_BR as Data>::COMPANY_SUFFIX,
    and: "e",
    suffix_glued: false,
    seniority: <EN as Data>::JOB_SENIORITY,
    job_fields: <EN as Data>::JOB_FIELD,
    positions: <EN as Data>::JOB_POSITION,
    job_glued: false,
    free_email: <PT_BR as Data>::INTERNET_FREE_EMAIL_PROVIDER,
    tlds: <PT_BR as Data>::INTERNET_DOMAIN_SUFFIX,
    plates: &["???#?##"],
    gs1: &[(789, 790)],
    iban: Some(6),
};

static LOC_JA: Loc = Loc {
    first_names: <JA_JP as Data>::NAME_FIRST_NAME,
    last_names: <JA_JP as Data>::NAME_LAST_NAME,
    family_first: true,
    titles: <JA_JP as Data>::NAME_TITLE,
    regions: JP_PREFECTURES,
    zip_prefix: 3,
    zip_tail: "-####",
    street_style: StreetStyle::Chome,
    street_suffixes: JP_TOWNS,
    building_numbers: &["^", "^#"],
    secondary: &["^##号室", "^#号室", "^階"],
    country: "日本",
    country_code: "JP",
    time_zones: &["Asia/Tokyo"],
    bbox: (24_300_000, 45_500_000, 123_000_000, 145_800_000),
    phones: <JA_JP as Data>::PHONE_NUMBER_FORMATS,
    cells: <JA_JP as Data>::PHONE_CELL_NUMBER_FORMATS,
    company_suffixes: <JA_JP as Data>::COMPANY_SUFFIX,
    and: "",
    suffix_glued: true,
    seniority: <JA_JP as Data>::JOB_SENIORITY,
    job_fields: <JA_JP as Data>::JOB_FIELD,
    positions: <JA_JP as Data>::JOB_POSITION,
    job_glued: true,
    free_email: &["gmail.com", "yahoo.co.jp", "docomo.ne.jp", "ezweb.ne.jp", "outlook.jp"],
    tlds: &["jp", "co.jp", "ne.jp", "com", "net"],
    plates: &["品川 ### ひ ##-##", "横浜 ### は ##-##", "大阪 ### ま ##-##", "名古屋 ### そ ##-##"],
    gs1: &[(450, 459), (490, 499)],
    iban: None,
};

/// fake's pt_BR surname table with its one escaping accident (`D\"ávila`) fixed.
static PT_LAST_NAMES: &[&str] = &[
    "Abreu",
    "Aguiar",
    "Alcantara",
    "Alves",
    "Amaral",
    "Andrade",
    "Antunes",
    "Araújo",
    "Arruda",
    "Azevedo",
    "Barbosa",
    "Barros",
    "Bastos",
    "Batista",
    "Bezerra",
    "Brito",
    "Cabral",
    "Campos",
    "Cardoso",
    "Carvalho",
    "Castro",
    "Cavalcanti",
    "Correia",
    "Costa",
    "Coutinho",
    "Cunha",
    "D'ávila",
    "Dias",
    "Duarte",
    "Farias",
    "Fernandes",
    "Ferreira",
    "Figueiredo",
    "Fonseca",
    "Freitas",
    "Garcia",
    "Gomes",
    "Gonçalves",
    "Guimarães",
    "Lima",
    "Lopes",
    "Machado",
    "Magalhães",
    "Marques",
    "Martins",
    "Medeiros",
    "Melo",
    "Mendes",
    "Miranda",
    "Monteiro",
    "Moraes",
    "Moreira",
    "Moura",
    "Nascimento",
    "Nogueira",
    "Nunes",
    "Oliveira",
    "Pereira",
    "Pinheiro",
    "Pinto",
    "Queiroz",
    "Ramos",
    "Reis",
    "Ribeiro",
    "Rocha",
    "Rodrigues",
    "Sampaio",
    "Santana",
    "Santos",
    "Silva",
    "Silveira",
    "Soares",
    "Souza",
    "Tavares",
    "Teixeira",
    "Vieira",
];

/// Japanese town names for `…丁目` street lines.
static JP_TOWNS: &[&str] = &[
    "本町",
    "中町",
    "栄町",
    "幸町",
    "緑町",
    "旭町",
    "若葉",
    "桜木町",
    "大手町",
    "東町",
    "西町",
    "南町",
    "北町",
    "新町",
    "宮前",
    "松原",
    "青葉台",
    "日吉",
    "元町",
    "末広町",
];

macro_rules! r {
    ($name:expr, $abbr:expr, [$(($lo:expr, $hi:expr)),+], [$($city:expr),+]) => {
        Region { name: $name, abbr: $abbr, zips: &[$(($lo, $hi)),+], cities: &[$($city),+] }
    };
}

/// The 50 US states, their 3-digit ZIP prefix ranges and a few cities each.
static US_STATES: &[Region] = &[
    r!("Alabama", "AL", [(350, 369)], ["Montgomery", "Birmingham", "Huntsville", "Mobile"]),
    r!("Alaska", "AK", [(995, 999)], ["Juneau", "Anchorage", "Fairbanks"]),
    r!("Arizona", "AZ", [(850, 865)], ["Phoenix", "Tucson", "Mesa", "Flagstaff"]),
    r!("Arkansas", "AR", [(716, 729)], ["Little Rock", "Fayetteville", "Fort Smith"]),
    r!(
        "California",
        "CA",
        [(900, 961)],
        ["Sacramento", "Los Angeles", "San Diego", "San Francisco", "San Jose", "Fresno"]
    ),
    r!("Colorado", "CO", [(800, 816)], ["Denver", "Colorado Springs", "Boulder", "Aurora"]),
    r!("Connecticut", "CT", [(60, 69)], ["Hartford", "Bridgeport", "New Haven", "Stamford"]),
    r!("Delaware", "DE", [(197, 199)], ["Dover", "Wilmington", "Newark"]),
    r!("Florida", "FL", [(320, 349)], ["Tallahassee", "Jacksonville", "Miami", "Orlando", "Tampa"]),
    r!("Georgia", "GA", [(300, 319), (398, 399)], ["Atlanta", "Savannah", "Augusta", "Athens"]),
    r!("Hawaii", "HI", [(967, 968)], ["Honolulu", "Hilo", "Kailua"]),
    r!("Idaho", "ID", [(832, 838)], ["Boise", "Idaho Falls", "Pocatello"]),
    r!("Illinois", "IL", [(600, 629)], ["Springfield", "Chicago", "Naperville", "Peoria"]),
    r!("Indiana", "IN", [(460, 479)], ["Indianapolis", "Fort Wayne", "Evansville", "Bloomington"]),
    r!("Iowa", "IA", [(500, 528)], ["Des Moines", "Cedar Rapids", "Davenport", "Iowa City"]),
    r!("Kansas", "KS", [(660, 679)], ["Topeka", "Wichita", "Overland Park", "Lawrence"]),
    r!("Kentucky", "KY", [(400, 427)], ["Frankfort", "Louisville", "Lexington", "Bowling Green"]),
    r!("Louisiana", "LA", [(700, 714)], ["Baton Rouge", "New Orleans", "Shreveport", "Lafayette"]),
    r!("Maine", "ME", [(39, 49)], ["Augusta", "Portland", "Bangor"]),
    r!("Maryland", "MD", [(206, 219)], ["Annapolis", "Baltimore", "Rockville", "Frederick"]),
    r!("Massachusetts", "MA", [(10, 27)], ["Boston", "Worcester", "Cambridge", "Springfield"]),
    r!("Michigan", "MI", [(480, 499)], ["Lansing", "Detroit", "Grand Rapids", "Ann Arbor"]),
    r!("Minnesota", "MN", [(550, 567)], ["Saint Paul", "Minneapolis", "Duluth", "Rochester"]),
    r!("Mississippi", "MS", [(386, 397)], ["Jackson", "Gulfport", "Hattiesburg"]),
    r!("Missouri", "MO", [(630, 658)], ["Jefferson City", "Kansas City", "St. Louis", "Springfield"]),
    r!("Montana", "MT", [(590, 599)], ["Helena", "Billings", "Missoula", "Bozeman"]),
    r!("Nebraska", "NE", [(680, 693)], ["Lincoln", "Omaha", "Kearney"]),
    r!("Nevada", "NV", [(889, 898)], ["Carson City", "Las Vegas", "Reno", "Henderson"]),
    r!("New Hampshire", "NH", [(30, 38)], ["Concord", "Manchester", "Nashua"]),
    r!("New Jersey", "NJ", [(70, 89)], ["Trenton", "Newark", "Jersey City", "Princeton"]),
    r!("New Mexico", "NM", [(870, 884)], ["Santa Fe", "Albuquerque", "Las Cruces"]),
    r!("New York", "NY", [(100, 149)], ["Albany", "New York", "Buffalo", "Rochester", "Syracuse"]),
    r!("North Carolina", "NC", [(270, 289)], ["Raleigh", "Charlotte", "Durham", "Greensboro"]),
    r!("North Dakota", "ND", [(580, 588)], ["Bismarck", "Fargo", "Grand Forks"]),
    r!("Ohio", "OH", [(430, 459)], ["Columbus", "Cleveland", "Cincinnati", "Toledo", "Dayton"]),
    r!("Oklahoma", "OK", [(730, 749)], ["Oklahoma City", "Tulsa", "Norman"]),
    r!("Oregon", "OR", [(970, 979)], ["Salem", "Portland", "Eugene", "Bend"]),
    r!("Pennsylvania", "PA", [(150, 196)], ["Harrisburg", "Philadelphia", "Pittsburgh", "Allentown"]),
    r!("Rhode Island", "RI", [(28, 29)], ["Providence", "Warwick", "Newport"]),
    r!("South Carolina", "SC", [(290, 299)], ["Columbia", "Charleston", "Greenville"]),
    r!("South Dakota", "SD", [(570, 577)], ["Pierre", "Sioux Falls", "Rapid City"]),
    r!("Tennessee", "TN", [(370, 385)], ["Nashville", "Memphis", "Knoxville", "Chattanooga"]),
    r!("Texas", "TX", [(750, 799), (885, 885)], ["Austin", "Houston", "Dallas", "San Antonio", "El Paso"]),
    r!("Utah", "UT", [(840, 847)], ["Salt Lake City", "Provo", "Ogden"]),
    r!("Vermont", "VT", [(50, 59)], ["Montpelier", "Burlington", "Rutland"]),
    r!("Virginia", "VA", [(201, 201), (220, 246)], ["Richmond", "Virginia Beach", "Arlington", "Norfolk"]),
    r!("Washington", "WA", [(980, 994)], ["Olympia", "Seattle", "Spokane", "Tacoma"]),
    r!("West Virginia", "WV", [(247, 268)], ["Charleston", "Huntington", "Morgantown"]),
    r!("Wisconsin", "WI", [(530, 549)], ["Madison", "Milwaukee", "Green Bay"]),
    r!("Wyoming", "WY", [(820, 831)], ["Cheyenne", "Casper", "Laramie"]),
];

/// The 13 metropolitan French régions (ISO 3166-2 codes), their départements (postcode prefix)
/// and main cities.
static FR_REGIONS: &[Region] = &[
    r!(
        "Auvergne-Rhône-Alpes",
        "ARA",
        [(1, 1), (3, 3), (7, 7), (15, 15), (26, 26), (38, 38), (42, 43), (63, 63), (69, 69), (73, 74)],
        ["Lyon", "Grenoble", "Saint-Étienne", "Clermont-Ferrand", "Annecy"]
    ),
    r!(
        "Bourgogne-Franche-Comté",
        "BFC",
        [(21, 21), (25, 25), (39, 39), (58, 58), (70, 71), (89, 90)],
        ["Dijon", "Besançon", "Belfort", "Auxerre"]
    ),
    r!(
        "Bretagne",
        "BRE",
        [(22, 22), (29, 29), (35, 35), (56, 56)],
        ["Rennes", "Brest", "Quimper", "Vannes", "Saint-Malo"]
    ),
    r!(
        "Centre-Val de Loire",
        "CVL",
        [(18, 18), (28, 28), (36, 37), (41, 41), (45, 45)],
        ["Orléans", "Tours", "Bourges", "Chartres"]
    ),
    r!("Corse", "COR", [(20, 20)], ["Ajaccio", "Bastia", "Porto-Vecchio"]),
    r!(
        "Grand Est",
        "GES",
        [(8, 8), (10, 10), (51, 52), (54, 55), (57, 57), (67, 68), (88, 88)],
        ["Strasbourg", "Reims", "Metz", "Nancy", "Mulhouse"]
    ),
    r!(
        "Hauts-de-France",
        "HDF",
        [(2, 2), (59, 60), (62, 62), (80, 80)],
        ["Lille", "Amiens", "Roubaix", "Dunkerque"]
    ),
    r!(
        "Île-de-France",
        "IDF",
        [(75, 75), (77, 78), (91, 95)],
        ["Paris", "Versailles", "Boulogne-Billancourt", "Saint-Denis", "Nanterre"]
    ),
    r!(
        "Normandie",
        "NOR",
        [(14, 14), (27, 27), (50, 50), (61, 61), (76, 76)],
        ["Rouen", "Caen", "Le Havre", "Cherbourg-en-Cotentin"]
    ),
    r!(
        "Nouvelle-Aquitaine",
        "NAQ",
        [(16, 17), (19, 19), (23, 24), (33, 33), (40, 40), (47, 47), (64, 64), (79, 79), (86, 87)],
        ["Bordeaux", "Limoges", "Poitiers", "Pau", "La Rochelle"]
    ),
    r!(
        "Occitanie",
        "OCC",
        [(9, 9), (11, 12), (30, 32), (34, 34), (46, 46), (48, 48), (65, 66), (81, 82)],
        ["Toulouse", "Montpellier", "Nîmes", "Perpignan", "Albi"]
    ),
    r!(
        "Pays de la Loire",
        "PDL",
        [(44, 44), (49, 49), (53, 53), (72, 72), (85, 85)],
        ["Nantes", "Angers", "Le Mans", "Saint-Nazaire"]
    ),
    r!(
        "Provence-Alpes-Côte d'Azur",
        "PAC",
        [(4, 6), (13, 13), (83, 84)],
        ["Marseille", "Nice", "Toulon", "Avignon", "Aix-en-Provence"]
    ),
];

/// The 16 German Länder, the leading two digits of their Postleitzahlen and main cities.
static DE_LAENDER: &[Region] = &[
    r!(
        "Baden-Württemberg",
        "BW",
        [(68, 79), (88, 89)],
        ["Stuttgart", "Karlsruhe", "Mannheim", "Freiburg im Breisgau", "Heidelberg", "Ulm"]
    ),
    r!("Bayern", "BY", [(80, 87), (90, 97)], ["München", "Nürnberg", "Augsburg", "Regensburg", "Würzburg"]),
    r!("Berlin", "BE", [(10, 13)], ["Berlin"]),
    r!(
        "Brandenburg",
        "BB",
        [(3, 3), (15, 16)],
        ["Potsdam", "Cottbus", "Brandenburg an der Havel", "Frankfurt (Oder)"]
    ),
    r!("Bremen", "HB", [(28, 28)], ["Bremen", "Bremerhaven"]),
    r!("Hamburg", "HH", [(20, 20), (22, 22)], ["Hamburg"]),
    r!(
        "Hessen",
        "HE",
        [(34, 36), (60, 61), (64, 65)],
        ["Frankfurt am Main", "Wiesbaden", "Kassel", "Darmstadt"]
    ),
    r!("Mecklenburg-Vorpommern", "MV", [(17, 19)], ["Schwerin", "Rostock", "Greifswald", "Stralsund"]),
    r!(
        "Niedersachsen",
        "NI",
        [(26, 27), (29, 31), (37, 38), (49, 49)],
        ["Hannover", "Braunschweig", "Oldenburg", "Osnabrück", "Göttingen"]
    ),
    r!(
        "Nordrhein-Westfalen",
        "NW",
        [(32, 33), (40, 48), (50, 53), (57, 59)],
        ["Düsseldorf", "Köln", "Dortmund", "Essen", "Münster", "Bonn"]
    ),
    r!("Rheinland-Pfalz", "RP", [(54, 56), (67, 67)], ["Mainz", "Koblenz", "Trier", "Kaiserslautern"]),
    r!("Saarland", "SL", [(66, 66)], ["Saarbrücken", "Neunkirchen", "Homburg"]),
    r!("Sachsen", "SN", [(1, 2), (4, 4), (8, 9)], ["Dresden", "Leipzig", "Chemnitz", "Zwickau"]),
    r!("Sachsen-Anhalt", "ST", [(6, 6), (39, 39)], ["Magdeburg", "Halle (Saale)", "Dessau-Roßlau"]),
    r!("Schleswig-Holstein", "SH", [(23, 25)], ["Kiel", "Lübeck", "Flensburg", "Neumünster"]),
    r!("Thüringen", "TH", [(7, 7), (98, 99)], ["Erfurt", "Jena", "Gera", "Weimar"]),
];

/// The 27 Brazilian federative units, the leading three digits of their CEPs and main cities.
static BR_STATES: &[Region] = &[
    r!("Acre", "AC", [(699, 699)], ["Rio Branco", "Cruzeiro do Sul"]),
    r!("Alagoas", "AL", [(570, 579)], ["Maceió", "Arapiraca"]),
    r!("Amapá", "AP", [(689, 689)], ["Macapá", "Santana"]),
    r!("Amazonas", "AM", [(690, 692), (694, 698)], ["Manaus", "Parintins"]),
    r!("Bahia", "BA", [(400, 489)], ["Salvador", "Feira de Santana", "Vitória da Conquista"]),
    r!("Ceará", "CE", [(600, 639)], ["Fortaleza", "Juazeiro do Norte", "Sobral"]),
    r!("Distrito Federal", "DF", [(700, 727), (730, 736)], ["Brasília"]),
    r!("Espírito Santo", "ES", [(290, 299)], ["Vitória", "Vila Velha", "Serra"]),
    r!("Goiás", "GO", [(728, 729), (737, 767)], ["Goiânia", "Anápolis"]),
    r!("Maranhão", "MA", [(650, 659)], ["São Luís", "Imperatriz"]),
    r!("Mato Grosso", "MT", [(780, 788)], ["Cuiabá", "Rondonópolis"]),
    r!("Mato Grosso do Sul", "MS", [(790, 799)], ["Campo Grande", "Dourados"]),
    r!("Minas Gerais", "MG", [(300, 399)], ["Belo Horizonte", "Uberlândia", "Juiz de Fora", "Contagem"]),
    r!("Pará", "PA", [(660, 688)], ["Belém", "Santarém", "Marabá"]),
    r!("Paraíba", "PB", [(580, 589)], ["João Pessoa", "Campina Grande"]),
    r!("Paraná", "PR", [(800, 879)], ["Curitiba", "Londrina", "Maringá"]),
    r!("Pernambuco", "PE", [(500, 569)], ["Recife", "Olinda", "Caruaru"]),
    r!("Piauí", "PI", [(640, 649)], ["Teresina", "Parnaíba"]),
    r!("Rio de Janeiro", "RJ", [(200, 289)], ["Rio de Janeiro", "Niterói", "Petrópolis"]),
    r!("Rio Grande do Norte", "RN", [(590, 599)], ["Natal", "Mossoró"]),
    r!("Rio Grande do Sul", "RS", [(900, 999)], ["Porto Alegre", "Caxias do Sul", "Pelotas"]),
    r!("Rondônia", "RO", [(768, 769)], ["Porto Velho", "Ji-Paraná"]),
    r!("Roraima", "RR", [(693, 693)], ["Boa Vista"]),
    r!("Santa Catarina", "SC", [(880, 899)], ["Florianópolis", "Joinville", "Blumenau"]),
    r!("São Paulo", "SP", [(10, 199)], ["São Paulo", "Campinas", "Santos", "Ribeirão Preto"]),
    r!("Sergipe", "SE", [(490, 499)], ["Aracaju", "Lagarto"]),
    r!("Tocantins", "TO", [(770, 779)], ["Palmas", "Araguaína"]),
];

/// The 47 Japanese prefectures (ISO 3166-2 codes), the leading three digits of their postal
/// codes and main cities.
static JP_PREFECTURES: &[Region] = &[
    r!("北海道", "JP-01", [(40, 99)], ["札幌市", "函館市", "旭川市"]),
    r!("青森県", "JP-02", [(30, 39)], ["青森市", "弘前市"]),
    r!("岩手県", "JP-03", [(20, 29)], ["盛岡市"]),
    r!("宮城県", "JP-04", [(980, 989)], ["仙台市"]),
    r!("秋田県", "JP-05", [(10, 19)], ["秋田市"]),
    r!("山形県", "JP-06", [(990, 999)], ["山形市"]),
    r!("福島県", "JP-07", [(960, 979)], ["福島市", "郡山市"]),
    r!("茨城県", "JP-08", [(300, 319)], ["水戸市", "つくば市"]),
    r!("栃木県", "JP-09", [(320, 329)], ["宇都宮市"]),
    r!("群馬県", "JP-10", [(370, 379)], ["前橋市", "高崎市"]),
    r!("埼玉県", "JP-11", [(330, 369)], ["さいたま市", "川越市"]),
    r!("千葉県", "JP-12", [(260, 299)], ["千葉市", "船橋市"]),
    r!("東京都", "JP-13", [(100, 208)], ["新宿区", "渋谷区", "港区", "世田谷区", "八王子市"]),
    r!("神奈川県", "JP-14", [(210, 259)], ["横浜市", "川崎市", "相模原市"]),
    r!("新潟県", "JP-15", [(940, 959)], ["新潟市"]),
    r!("富山県", "JP-16", [(930, 939)], ["富山市"]),
    r!("石川県", "JP-17", [(920, 929)], ["金沢市"]),
    r!("福井県", "JP-18", [(910, 919)], ["福井市"]),
    r!("山梨県", "JP-19", [(400, 409)], ["甲府市"]),
    r!("長野県", "JP-20", [(380, 399)], ["長野市", "松本市"]),
    r!("岐阜県", "JP-21", [(500, 509)], ["岐阜市"]),
    r!("静岡県", "JP-22", [(410, 439)], ["静岡市", "浜松市"]),
    r!("愛知県", "JP-23", [(440, 499)], ["名古屋市", "豊田市"]),
    r!("三重県", "JP-24", [(510, 519)], ["津市", "四日市市"]),
    r!("滋賀県", "JP-25", [(520, 529)], ["大津市"]),
    r!("京都府", "JP-26", [(600, 629)], ["京都市"]),
    r!("大阪府", "JP-27", [(530, 599)], ["大阪市", "堺市"]),
    r!("兵庫県", "JP-28", [(650, 679)], ["神戸市", "姫路市"]),
    r!("奈良県", "JP-29", [(630, 639)], ["奈良市"]),
    r!("和歌山県", "JP-30", [(640, 649)], ["和歌山市"]),
    r!("鳥取県", "JP-31", [(680, 689)], ["鳥取市"]),
    r!("島根県", "JP-32", [(690, 699)], ["松江市"]),
    r!("岡山県", "JP-33", [(700, 719)], ["岡山市", "倉敷市"]),
    r!("広島県", "JP-34", [(720, 739)], ["広島市", "福山市"]),
    r!("山口県", "JP-35", [(740, 759)], ["山口市", "下関市"]),
    r!("徳島県", "JP-36", [(770, 779)], ["徳島市"]),
    r!("香川県", "JP-37", [(760, 769)], ["高松市"]),
    r!("愛媛県", "JP-38", [(790, 799)], ["松山市"]),
    r!("高知県", "JP-39", [(780, 789)], ["高知市"]),
    r!("福岡県", "JP-40", [(800, 839)], ["福岡市", "北九州市"]),
    r!("佐賀県", "JP-41", [(840, 849)], ["佐賀市"]),
    r!("長崎県", "JP-42", [(850, 859)], ["長崎市", "佐世保市"]),
    r!("熊本県", "JP-43", [(860, 869)], ["熊本市"]),
    r!("大分県", "JP-44", [(870, 879)], ["大分市"]),
    r!("宮崎県", "JP-45", [(880, 889)], ["宮崎市"]),
    r!("鹿児島県", "JP-46", [(890, 899)], ["鹿児島市"]),
    r!("沖縄県", "JP-47", [(900, 909)], ["那覇市", "沖縄市"]),
];

/// IBAN countries: (country code, total length, BBAN template). Template letters: `9` digit,
/// `A` uppercase letter, `X` digit or uppercase letter.
pub(crate) static IBAN_COUNTRIES: &[(&str, usize, &str)] = &[
    ("DE", 22, "999999999999999999"),
    ("FR", 27, "99999999999999999999999"),
    ("GB", 22, "AAAA99999999999999"),
    ("NL", 18, "AAAA9999999999"),
    ("ES", 24, "99999999999999999999"),
    ("IT", 27, "A9999999999999999999999"),
    ("BR", 29, "99999999999999999999999AX"),
    ("BE", 16, "999999999999"),
    ("AT", 20, "9999999999999999"),
    ("CH", 21, "99999999999999999"),
];

/// Countries an `en`/`ja_JP` IBAN is drawn from (indexes into [`IBAN_COUNTRIES`]).
pub(crate) static IBAN_DEFAULT: &[usize] = &[0, 1, 2, 3, 4, 5, 7, 8, 9];

/// Active ISO 4217 currencies: (code, English name).
pub(crate) static CURRENCIES: &[(&str, &str)] = &[
    ("USD", "US Dollar"),
    ("EUR", "Euro"),
    ("JPY", "Japanese Yen"),
    ("GBP", "Pound Sterling"),
    ("CNY", "Yuan Renminbi"),
    ("AUD", "Australian Dollar"),
    ("CAD", "Canadian Dollar"),
    ("CHF", "Swiss Franc"),
    ("HKD", "Hong Kong Dollar"),
    ("SGD", "Singapore Dollar"),
    ("SEK", "Swedish Krona"),
    ("NOK", "Norwegian Krone"),
    ("DKK", "Danish Krone"),
    ("NZD", "New Zealand Dollar"),
    ("KRW", "Won"),
    ("INR", "Indian Rupee"),
    ("BRL", "Brazilian Real"),
    ("MXN", "Mexican Peso"),
    ("ZAR", "Rand"),
    ("PLN", "Zloty"),
    ("CZK", "Czech Koruna"),
    ("HUF", "Forint"),
    ("TRY", "Turkish Lira"),
    ("ILS", "New Israeli Sheqel"),
    ("AED", "UAE Dirham"),
    ("SAR", "Saudi Riyal"),
    ("THB", "Baht"),
    ("IDR", "Rupiah"),
    ("MYR", "Malaysian Ringgit"),
    ("PHP", "Philippine Peso"),
    ("ARS", "Argentine Peso"),
    ("CLP", "Chilean Peso"),
    ("COP", "Colombian Peso"),
    ("EGP", "Egyptian Pound"),
    ("NGN", "Naira"),
    ("KES", "Kenyan Shilling"),
    ("VND", "Dong"),
    ("TWD", "New Taiwan Dollar"),
];

/// Product categories with their 3-letter SKU codes.
pub(crate) static CATEGORIES: &[(&str, &str)] = &[
    ("Electronics", "ELE"),
    ("Computers", "CMP"),
    ("Books", "BOO"),
    ("Clothing", "CLO"),
    ("Shoes", "SHO"),
    ("Jewelry", "JEW"),
    ("Home & Kitchen", "HOM"),
    ("Furniture", "FUR"),
    ("Garden", "GAR"),
    ("Tools", "TOO"),
    ("Toys", "TOY"),
    ("Games", "GAM"),
    ("Sports", "SPO"),
    ("Outdoors", "OUT"),
    ("Beauty", "BEA"),
    ("Health", "HEA"),
    ("Grocery", "GRO"),
    ("Baby", "BAB"),
    ("Pet Supplies", "PET"),
    ("Automotive", "AUT"),
    ("Music", "MUS"),
    ("Movies", "MOV"),
    ("Office Supplies", "OFF"),
    ("Industrial", "IND"),
];

/// Product name adjectives.
pub(crate) static PRODUCT_ADJECTIVES: &[&str] = &[
    "Ergonomic",
    "Rustic",
    "Sleek",
    "Handcrafted",
    "Compact",
    "Durable",
    "Lightweight",
    "Premium",
    "Classic",
    "Modern",
    "Vintage",
    "Wireless",
    "Portable",
    "Smart",
    "Eco-Friendly",
    "Deluxe",
    "Essential",
    "Heavy-Duty",
    "Minimalist",
    "Foldable",
    "Waterproof",
    "Refined",
];

/// Product name materials.
pub(crate) static PRODUCT_MATERIALS: &[&str] = &[
    "Steel", "Wooden", "Cotton", "Leather", "Bamboo", "Ceramic", "Glass", "Aluminum", "Wool", "Linen",
    "Granite", "Copper", "Silicone", "Oak", "Walnut", "Marble", "Titanium", "Canvas",
];

/// Product nouns.
pub(crate) static PRODUCT_NOUNS: &[&str] = &[
    "Chair",
    "Table",
    "Lamp",
    "Keyboard",
    "Mouse",
    "Backpack",
    "Wallet",
    "Watch",
    "Bottle",
    "Mug",
    "Speaker",
    "Headphones",
    "Desk",
    "Shelf",
    "Jacket",
    "Sneakers",
    "Blanket",
    "Pillow",
    "Knife",
    "Pan",
    "Notebook",
    "Pen",
    "Umbrella",
    "Sunglasses",
    "Bicycle",
    "Tent",
    "Clock",
    "Vase",
    "Charger",
    "Monitor",
];

/// Colour names (CSS named colours).
pub(crate) static COLOR_NAMES: &[&str] = &[
    "black",
    "white",
    "red",
    "green",
    "blue",
    "yellow",
    "orange",
    "purple",
    "pink",
    "brown",
    "gray",
    "navy",
    "teal",
    "olive",
    "maroon",
    "silver",
    "gold",
    "beige",
    "coral",
    "crimson",
    "indigo",
    "ivory",
    "khaki",
    "lavender",
    "lime",
    "magenta",
    "mint",
    "salmon",
    "turquoise",
    "violet",
    "tan",
    "plum",
    "orchid",
    "sienna",
    "chocolate",
    "skyblue",
];

/// File types: (extension, MIME type).
pub(crate) static FILE_TYPES: &[(&str, &str)] = &[
    ("pdf", "application/pdf"),
    ("json", "application/json"),
    ("xml", "application/xml"),
    ("zip", "application/zip"),
    ("gz", "application/gzip"),
    ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ("pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
    ("csv", "text/csv"),
    ("txt", "text/plain"),
    ("html", "text/html"),
    ("css", "text/css"),
    ("md", "text/markdown"),
    ("js", "text/javascript"),
    ("png", "image/png"),
    ("jpg", "image/jpeg"),
    ("gif", "image/gif"),
    ("svg", "image/svg+xml"),
    ("webp", "image/webp"),
    ("mp3", "audio/mpeg"),
    ("wav", "audio/wav"),
    ("mp4", "video/mp4"),
    ("webm", "video/webm"),
    ("woff2", "font/woff2"),
];

/// Words used to build file-name stems.
pub(crate) static FILE_STEMS: &[&str] = &[
    "report",
    "invoice",
    "summary",
    "budget",
    "notes",
    "photo",
    "draft",
    "backup",
    "export",
    "contract",
    "receipt",
    "slides",
    "data",
    "schedule",
    "proposal",
    "statement",
    "logo",
    "archive",
    "readme",
    "minutes",
];

/// BCP 47 language tags.
pub(crate) static LANGUAGE_TAGS: &[&str] = &[
    "en-US", "en-GB", "en-CA", "en-AU", "fr-FR", "fr-CA", "de-DE", "de-AT", "de-CH", "es-ES", "es-MX",
    "it-IT", "pt-BR", "pt-PT", "nl-NL", "sv-SE", "nb-NO", "da-DK", "fi-FI", "pl-PL", "cs-CZ", "ru-RU",
    "tr-TR", "ja-JP", "ko-KR", "zh-CN", "zh-TW", "ar-SA", "he-IL", "hi-IN",
];

/// Current browser user agents.
pub(crate) static USER_AGENTS: &[&str] = &[
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36 Edg/130.0.0.0",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14.7; rv:132.0) Gecko/20100101 Firefox/132.0",
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
    "Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (iPad; CPU OS 17_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.6778.81 Mobile Safari/537.36",
    "Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/26.0 Chrome/122.0.0.0 Mobile Safari/537.36",
];

/// Lorem ipsum words (fake's table).
pub(crate) const LOREM: &[&str] = <EN as Data>::LOREM_WORD;
/// Industries (fake's table).
pub(crate) const INDUSTRIES: &[&str] = <EN as Data>::COMPANY_INDUSTRY;
/// Professions (fake's table).
pub(crate) const PROFESSIONS: &[&str] = <EN as Data>::COMPANY_PROFESSION;
/// Catch-phrase parts (fake's tables).
pub(crate) const BUZZ_HEAD: &[&str] = <EN as Data>::COMPANY_BUZZWORD_HEAD;
/// Catch-phrase parts (fake's tables).
pub(crate) const BUZZ_MIDDLE: &[&str] = <EN as Data>::COMPANY_BUZZWORD_MIDDLE;
/// Catch-phrase parts (fake's tables).
pub(crate) const BUZZ_TAIL: &[&str] = <EN as Data>::COMPANY_BUZZWORD_TAIL;
