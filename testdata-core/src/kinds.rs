//! The kind vocabulary: every kind's name, length bounds and description ([`KINDS`]), the
//! aliases [`from_name`] accepts, the field names [`infer`] reads, and the "did you mean"
//! suggestion for a misspelt name ([`closest`]).
//!
//! The engine builds its `Kind` enum from [`for_each_kind!`](crate::for_each_kind), so the
//! enum, its names and its bounds cannot disagree with what the derive checks.

/// What a kind is, as both the derive and the engine read it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct KindInfo {
    /// The engine's `Kind` variant (`FirstName`).
    pub variant: &'static str,
    /// The snake_case name (`first_name`), also the name of its generator function.
    pub name: &'static str,
    /// The fewest chars (not bytes) the generator produces, across every locale.
    pub min_len: usize,
    /// The most chars it produces (`None`: no useful upper bound).
    pub max_len: Option<usize>,
    /// Free text: may be cut or extended to meet length bounds and stay realistic.
    pub free_text: bool,
    /// One line describing the output shape.
    pub doc: &'static str,
}

/// Calls the macro `$callback` with the list of kinds, one
/// `Variant = generator_fn, (min_len, max_len), text|exact, "doc";` per kind (`text`: free
/// text, see [`KindInfo::free_text`]). The engine builds its `Kind` enum with it; [`KINDS`] is
/// built from the same list.
#[macro_export]
#[doc(hidden)]
macro_rules! for_each_kind {
    ($callback:ident) => {
        $callback! {
            Uuid = uuid, (36, Some(36)), exact, "RFC 4122 version-4 UUID, lowercase hex, 36 chars";
            FirstName = first_name, (1, Some(12)), text, "given name of the record's person, in the locale";
            LastName = last_name, (1, Some(20)), text, "family name of the record's person, in the locale";
            FullName = full_name, (3, Some(32)), text, "`First Last` (ja_JP `Last First`) of the record's person";
            NameTitle = name_title, (1, Some(4)), exact, "form of address of the locale (`Mr.`, `Mme`, `Herr`)";
            Username = username, (3, Some(26)), exact, "lowercase ASCII handle of the record's person, `[a-z0-9._]`";
            Email = email, (10, Some(39)), exact, "lowercase ASCII `local@provider.tld` of the record's person";
            SafeEmail = safe_email, (15, Some(38)), exact, "lowercase ASCII `local@example.{com,org,net}` of the record's person";
            Phone = phone, (12, Some(21)), exact, "phone number in a format of the locale";
            CellPhone = cell_phone, (12, Some(15)), exact, "mobile phone number in a format of the locale";
            JobTitle = job_title, (6, Some(47)), text, "`Seniority Field Position` job title";
            Profession = profession, (3, Some(17)), exact, "lowercase English profession (`web developer`)";
            Street = street, (8, Some(30)), text, "building number and street name, laid out as in the locale";
            StreetName = street_name, (2, Some(26)), exact, "street name without a number, as in the locale";
            BuildingNumber = building_number, (1, Some(5)), exact, "building number, digits without a leading zero";
            SecondaryAddress = secondary_address, (2, Some(14)), exact, "apartment/suite line (`Apt. 123`, `Apto. 12`)";
            City = city, (2, Some(24)), text, "real city of the record's state";
            State = state, (3, Some(26)), text, "record's state/région/Land/prefecture, in the locale's language";
            StateAbbr = state_abbr, (2, Some(5)), exact, "record's state code (`CA`, `BRE`, `BY`, `SP`, `JP-13`)";
            Zip = zip, (5, Some(9)), exact, "record's postal code, in its state's range (`#####`, `#####-###`, `###-####`)";
            Country = country, (2, Some(13)), text, "record's country, in the locale's language";
            CountryCode = country_code, (2, Some(2)), exact, "record's ISO 3166-1 alpha-2 country code";
            Latitude = latitude, (8, Some(10)), exact, "latitude in the record's country's bounding box, decimal degrees, 6 decimals";
            Longitude = longitude, (8, Some(11)), exact, "longitude in the record's country's bounding box, decimal degrees, 6 decimals";
            TimeZone = time_zone, (10, Some(28)), exact, "IANA time zone of the record's country (`Europe/Paris`)";
            Company = company, (4, Some(45)), text, "company name from surnames and a legal suffix of the locale";
            CompanySuffix = company_suffix, (2, Some(12)), exact, "legal-form suffix of the locale (`LLC`, `GmbH`)";
            Industry = industry, (5, Some(37)), text, "English industry name (`Computer Software`)";
            CatchPhrase = catch_phrase, (14, Some(63)), exact, "English business catch phrase";
            ProductName = product_name, (13, Some(32)), text, "`Adjective Material Noun` English product name";
            Category = category, (4, Some(15)), text, "record's English product category (`Electronics`)";
            Sku = sku, (10, Some(10)), exact, "record's category code, dash, 6 digits (`ELE-004817`)";
            CurrencyCode = currency_code, (3, Some(3)), exact, "record's active ISO 4217 currency code (`EUR`)";
            CurrencyName = currency_name, (3, Some(18)), text, "record's ISO 4217 currency name (`Euro`)";
            CreditCard = credit_card, (15, Some(16)), exact, "Luhn-valid Visa/Mastercard/Amex/Discover number, digits only";
            Iban = iban, (16, Some(29)), exact, "IBAN with valid mod-97 check digits, no spaces";
            Ipv4 = ipv4, (7, Some(15)), exact, "public-looking IPv4 address, dotted decimal";
            Ipv6 = ipv6, (18, Some(39)), exact, "global unicast IPv6 address, 8 lowercase hex groups, no `::`";
            MacAddress = mac_address, (17, Some(17)), exact, "unicast MAC address, `xx:xx:xx:xx:xx:xx` lowercase hex";
            Url = url, (13, Some(73)), exact, "`https://` URL on a domain of the locale, optional path";
            Domain = domain, (5, Some(31)), exact, "lowercase ASCII domain name with a TLD of the locale";
            UserAgent = user_agent, (78, Some(138)), exact, "current browser user-agent string";
            Color = color, (7, Some(7)), exact, "hex colour `#rrggbb`, lowercase";
            ColorName = color_name, (3, Some(9)), text, "lowercase CSS colour name (`teal`)";
            Word = word, (1, Some(14)), text, "one lowercase lorem-ipsum word";
            Words = words, (3, Some(74)), text, "2 to 5 lowercase lorem-ipsum words, space-separated";
            Sentence = sentence, (8, Some(180)), text, "4 to 12 lorem-ipsum words, capitalised, ending with `.`";
            Paragraph = paragraph, (26, Some(1085)), text, "3 to 6 lorem-ipsum sentences";
            Password = password, (12, Some(24)), exact, "12 to 24 printable ASCII chars with lower, upper, digit and symbol";
            Slug = slug, (3, Some(59)), exact, "2 to 4 lowercase lorem words joined by `-`";
            Hashtag = hashtag, (2, Some(29)), exact, "`#` and one or two lowercase words run together";
            FileName = file_name, (7, Some(19)), exact, "`stem[_n].ext` file name with the record's extension";
            FileExtension = file_extension, (2, Some(5)), exact, "record's lowercase file extension, no dot (`pdf`)";
            MimeType = mime_type, (8, Some(73)), exact, "record's MIME type, `type/subtype`";
            Semver = semver, (5, Some(15)), exact, "semantic version `MAJOR.MINOR.PATCH[-pre.N]`";
            LanguageCode = language_code, (5, Some(5)), exact, "BCP 47 language tag with region (`en-US`)";
            Isbn13 = isbn13, (13, Some(13)), exact, "ISBN-13, 13 digits, prefix 978/979, valid check digit";
            Ean13 = ean13, (13, Some(13)), exact, "EAN-13, 13 digits, GS1 prefix of the locale, valid check digit";
            LicensePlate = license_plate, (7, Some(15)), exact, "vehicle licence plate in a format of the locale";
        }
    };
}

macro_rules! is_free_text {
    (text) => {
        true
    };
    (exact) => {
        false
    };
}

macro_rules! kind_table {
    ($( $v:ident = $f:ident, ($min:expr, $max:expr), $fit:ident, $doc:literal; )*) => {
        /// Every kind, in the engine's declaration order (`Kind::ALL`).
        pub const KINDS: &[KindInfo] = &[$(
            KindInfo {
                variant: stringify!($v),
                name: stringify!($f),
                min_len: $min,
                max_len: $max,
                free_text: is_free_text!($fit),
                doc: $doc,
            },
        )*];
    };
}

for_each_kind!(kind_table);

/// Aliases [`from_name`] accepts besides the exact names: (alias, kind name).
pub const ALIASES: &[(&str, &str)] = &[
    ("zip_code", "zip"),
    ("postal_code", "zip"),
    ("postcode", "zip"),
    ("ip", "ipv4"),
    ("ip_address", "ipv4"),
    ("ipv4_address", "ipv4"),
    ("ipv6_address", "ipv6"),
    ("company_name", "company"),
    ("phone_number", "phone"),
    ("mobile", "cell_phone"),
    ("mobile_phone", "cell_phone"),
    ("street_address", "street"),
    ("address_line1", "street"),
    ("address_line2", "secondary_address"),
    ("surname", "last_name"),
    ("family_name", "last_name"),
    ("given_name", "first_name"),
    ("name", "full_name"),
    ("user_name", "username"),
    ("email_address", "email"),
    ("currency", "currency_code"),
    ("colour", "color"),
    ("website", "url"),
    ("timezone", "time_zone"),
    ("tz", "time_zone"),
    ("guid", "uuid"),
    ("card_number", "credit_card"),
    ("credit_card_number", "credit_card"),
    ("lat", "latitude"),
    ("lng", "longitude"),
    ("lon", "longitude"),
    ("isbn", "isbn13"),
    ("ean", "ean13"),
    ("language", "language_code"),
    ("postal", "zip"),
    ("province", "state"),
    ("job", "job_title"),
    ("mac", "mac_address"),
    ("version", "semver"),
    ("hex_color", "color"),
    ("hostname", "domain"),
    ("licence_plate", "license_plate"),
];

/// Whether a field-name entry of [`NAMES`] also matches as the last words of a longer name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NameMatch {
    /// Only the whole field name (`tel`, not `hotel`).
    Whole,
    /// The whole name or its last words (`email` and `billing_email`).
    AlsoSuffix,
}

use NameMatch::{AlsoSuffix, Whole};

/// The field names [`infer`] reads: (compact name, kind name, how it matches). Compact =
/// lowercase ASCII letters and digits only, so `first_name`, `firstName` and `FirstName` all
/// read `firstname`.
pub const NAMES: &[(&str, &str, NameMatch)] = &[
    ("uuid", "uuid", AlsoSuffix),
    ("guid", "uuid", AlsoSuffix),
    ("firstname", "first_name", AlsoSuffix),
    ("givenname", "first_name", AlsoSuffix),
    ("forename", "first_name", AlsoSuffix),
    ("fname", "first_name", Whole),
    ("lastname", "last_name", AlsoSuffix),
    ("surname", "last_name", AlsoSuffix),
    ("familyname", "last_name", AlsoSuffix),
    ("lname", "last_name", Whole),
    ("fullname", "full_name", AlsoSuffix),
    ("nametitle", "name_title", AlsoSuffix),
    ("salutation", "name_title", AlsoSuffix),
    ("honorific", "name_title", AlsoSuffix),
    ("username", "username", AlsoSuffix),
    ("login", "username", Whole),
    ("screenname", "username", AlsoSuffix),
    ("email", "email", AlsoSuffix),
    ("emailaddress", "email", AlsoSuffix),
    ("mail", "email", Whole),
    ("phone", "phone", AlsoSuffix),
    ("phonenumber", "phone", AlsoSuffix),
    ("telephone", "phone", AlsoSuffix),
    ("tel", "phone", Whole),
    ("mobile", "cell_phone", AlsoSuffix),
    ("mobilephone", "cell_phone", AlsoSuffix),
    ("mobilenumber", "cell_phone", AlsoSuffix),
    ("cellphone", "cell_phone", AlsoSuffix),
    ("cell", "cell_phone", Whole),
    ("jobtitle", "job_title", AlsoSuffix),
    ("profession", "profession", AlsoSuffix),
    ("occupation", "profession", AlsoSuffix),
    ("street", "street", AlsoSuffix),
    ("streetaddress", "street", AlsoSuffix),
    ("addressline1", "street", AlsoSuffix),
    ("address1", "street", AlsoSuffix),
    ("addressline", "street", AlsoSuffix),
    ("address", "street", AlsoSuffix),
    ("streetname", "street_name", AlsoSuffix),
    ("buildingnumber", "building_number", AlsoSuffix),
    ("housenumber", "building_number", AlsoSuffix),
    ("streetnumber", "building_number", AlsoSuffix),
    ("addressline2", "secondary_address", AlsoSuffix),
    ("address2", "secondary_address", AlsoSuffix),
    ("secondaryaddress", "secondary_address", AlsoSuffix),
    ("city", "city", AlsoSuffix),
    ("town", "city", Whole),
    ("state", "state", Whole),
    ("province", "state", AlsoSuffix),
    ("stateabbr", "state_abbr", AlsoSuffix),
    ("statecode", "state_abbr", AlsoSuffix),
    ("zip", "zip", AlsoSuffix),
    ("zipcode", "zip", AlsoSuffix),
    ("postalcode", "zip", AlsoSuffix),
    ("postcode", "zip", AlsoSuffix),
    ("country", "country", AlsoSuffix),
    ("countryname", "country", AlsoSuffix),
    ("countrycode", "country_code", AlsoSuffix),
    ("latitude", "latitude", AlsoSuffix),
    ("lat", "latitude", AlsoSuffix),
    ("longitude", "longitude", AlsoSuffix),
    ("lng", "longitude", AlsoSuffix),
    ("lon", "longitude", AlsoSuffix),
    ("timezone", "time_zone", AlsoSuffix),
    ("tz", "time_zone", Whole),
    ("company", "company", AlsoSuffix),
    ("companyname", "company", AlsoSuffix),
    ("organization", "company", Whole),
    ("organisation", "company", Whole),
    ("employer", "company", AlsoSuffix),
    ("brand", "company", AlsoSuffix),
    ("companysuffix", "company_suffix", AlsoSuffix),
    ("industry", "industry", AlsoSuffix),
    ("catchphrase", "catch_phrase", AlsoSuffix),
    ("slogan", "catch_phrase", AlsoSuffix),
    ("tagline", "catch_phrase", AlsoSuffix),
    ("productname", "product_name", AlsoSuffix),
    ("category", "category", AlsoSuffix),
    ("productcategory", "category", AlsoSuffix),
    ("sku", "sku", AlsoSuffix),
    ("currency", "currency_code", AlsoSuffix),
    ("currencycode", "currency_code", AlsoSuffix),
    ("currencyname", "currency_name", AlsoSuffix),
    ("creditcard", "credit_card", AlsoSuffix),
    ("creditcardnumber", "credit_card", AlsoSuffix),
    ("cardnumber", "credit_card", AlsoSuffix),
    ("ccnumber", "credit_card", AlsoSuffix),
    ("iban", "iban", AlsoSuffix),
    ("ip", "ipv4", AlsoSuffix),
    ("ipaddress", "ipv4", AlsoSuffix),
    ("ipv4", "ipv4", AlsoSuffix),
    ("ipv4address", "ipv4", AlsoSuffix),
    ("ipv6", "ipv6", AlsoSuffix),
    ("ipv6address", "ipv6", AlsoSuffix),
    ("macaddress", "mac_address", AlsoSuffix),
    ("mac", "mac_address", Whole),
    ("url", "url", AlsoSuffix),
    ("uri", "url", AlsoSuffix),
    ("website", "url", AlsoSuffix),
    ("websiteurl", "url", AlsoSuffix),
    ("homepage", "url", AlsoSuffix),
    ("domain", "domain", AlsoSuffix),
    ("domainname", "domain", AlsoSuffix),
    ("hostname", "domain", AlsoSuffix),
    ("useragent", "user_agent", AlsoSuffix),
    ("color", "color", AlsoSuffix),
    ("colour", "color", AlsoSuffix),
    ("hexcolor", "color", AlsoSuffix),
    ("colorname", "color_name", AlsoSuffix),
    ("colourname", "color_name", AlsoSuffix),
    ("password", "password", AlsoSuffix),
    ("passwd", "password", Whole),
    ("slug", "slug", AlsoSuffix),
    ("hashtag", "hashtag", AlsoSuffix),
    ("filename", "file_name", AlsoSuffix),
    ("fileextension", "file_extension", AlsoSuffix),
    ("extension", "file_extension", Whole),
    ("mimetype", "mime_type", AlsoSuffix),
    ("contenttype", "mime_type", AlsoSuffix),
    ("mediatype", "mime_type", AlsoSuffix),
    ("semver", "semver", AlsoSuffix),
    ("version", "semver", Whole),
    ("language", "language_code", Whole),
    ("languagecode", "language_code", AlsoSuffix),
    ("locale", "language_code", Whole),
    ("isbn", "isbn13", AlsoSuffix),
    ("isbn13", "isbn13", AlsoSuffix),
    ("ean", "ean13", AlsoSuffix),
    ("ean13", "ean13", AlsoSuffix),
    ("gtin", "ean13", AlsoSuffix),
    ("barcode", "ean13", Whole),
    ("licenseplate", "license_plate", AlsoSuffix),
    ("licenceplate", "license_plate", AlsoSuffix),
    ("numberplate", "license_plate", AlsoSuffix),
    ("word", "word", Whole),
    ("sentence", "sentence", Whole),
    ("paragraph", "paragraph", Whole),
    ("description", "sentence", Whole),
    ("bio", "sentence", Whole),
];

/// The kind of an exact name (`first_name`).
pub fn kind(name: &str) -> Option<&'static KindInfo> {
    KINDS.iter().find(|k| k.name == name)
}

/// The kind named `name`: an exact name or an alias (`zip_code`, `ip_address`, `surname`, …).
/// Case-sensitive.
pub fn from_name(name: &str) -> Option<&'static KindInfo> {
    kind(name).or_else(|| ALIASES.iter().find(|(a, _)| *a == name).and_then(|(_, k)| kind(k)))
}

fn lookup(compact: &str, how: NameMatch) -> Option<&'static str> {
    NAMES.iter().find(|(n, _, m)| *n == compact && (*m == AlsoSuffix || how == Whole)).map(|&(_, k, _)| k)
}

/// Splits a field name into lowercase ASCII tokens at `_`, `-`, `.`, spaces and camelCase
/// boundaries.
fn tokens(name: &str) -> Vec<String> {
    let chars: Vec<char> = name.chars().collect();
    let mut out: Vec<String> = Vec::new();
    let mut cur = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if !c.is_ascii_alphanumeric() {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            continue;
        }
        if c.is_ascii_uppercase() && !cur.is_empty() {
            let prev = chars[i - 1];
            let next_lower = chars.get(i + 1).is_some_and(|n| n.is_ascii_lowercase());
            if prev.is_ascii_lowercase() || prev.is_ascii_digit() || (prev.is_ascii_uppercase() && next_lower)
            {
                out.push(std::mem::take(&mut cur));
            }
        }
        cur.push(c.to_ascii_lowercase());
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// The kind a field name clearly asks for (`email`, `userEmail`, `billing_zip_code`,
/// `ipAddress`), or `None` when unsure. Plain `*_id` fields are never inferred.
pub fn infer(field_name: &str) -> Option<&'static KindInfo> {
    let toks = tokens(field_name);
    if toks.is_empty() {
        return None;
    }
    let whole: String = toks.concat();
    if let Some(k) = lookup(&whole, NameMatch::Whole) {
        return kind(k);
    }
    // `*_id` fields are identifiers whose type decides; never guess from their prefix.
    if toks.last().is_some_and(|t| t == "id" || t == "ids") {
        return None;
    }
    // Longest suffix first: `billing_zip_code` tries `zipcode` before `code`.
    for start in 1..toks.len() {
        let suffix: String = toks[start..].concat();
        if let Some(k) = lookup(&suffix, NameMatch::AlsoSuffix) {
            return kind(k);
        }
    }
    None
}

/// The known name (or alias) closest to `name` by edit distance, if close enough to be a typo.
pub fn closest(name: &str) -> Option<&'static str> {
    let candidates = KINDS.iter().map(|k| k.name).chain(ALIASES.iter().map(|(a, _)| *a));
    let mut best: Option<(&'static str, usize)> = None;
    for c in candidates {
        let d = edit_distance(name, c);
        if best.is_none_or(|(_, bd)| d < bd) {
            best = Some((c, d));
        }
    }
    let (c, d) = best?;
    let limit = (name.chars().count().max(c.len()) / 3).max(1);
    (d <= limit).then_some(c)
}

/// Optimal-string-alignment distance: insertions, deletions, substitutions and adjacent
/// transpositions (`emial` → `email` is 1).
pub fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let w = b.len() + 1;
    let mut d = vec![0usize; (a.len() + 1) * w];
    for (j, cell) in d.iter_mut().enumerate().take(w) {
        *cell = j;
    }
    for i in 1..=a.len() {
        d[i * w] = i;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (d[(i - 1) * w + j] + 1).min(d[i * w + j - 1] + 1).min(d[(i - 1) * w + j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(d[(i - 2) * w + j - 2] + 1);
            }
            d[i * w + j] = v;
        }
    }
    d[a.len() * w + b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_table_names_known_kinds() {
        for (alias, k) in ALIASES {
            assert!(kind(k).is_some(), "alias {alias} → {k}");
        }
        for (n, k, _) in NAMES {
            assert!(kind(k).is_some(), "name {n} → {k}");
        }
    }

    #[test]
    fn infers_from_field_names() {
        let inferred = |n| infer(n).map(|k| k.name);
        assert_eq!(inferred("firstName"), Some("first_name"));
        assert_eq!(inferred("billing_zip_code"), Some("zip"));
        assert_eq!(inferred("ipAddress"), Some("ipv4"));
        assert_eq!(inferred("HomePage"), Some("url"));
        assert_eq!(inferred("hotel"), None, "`tel` matches only a whole name");
        assert_eq!(inferred("tel"), Some("phone"));
        assert_eq!(inferred("email_id"), None, "`*_id` fields are never inferred");
        assert_eq!(inferred("title"), None);
    }

    #[test]
    fn suggests_close_names_only() {
        assert_eq!(edit_distance("emial", "email"), 1);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(closest("emial"), Some("email"));
        assert_eq!(closest("zipcode"), Some("zip_code"));
        assert_eq!(closest("quux"), None);
        assert_eq!(from_name("postal_code").map(|k| k.name), Some("zip"));
        assert_eq!(from_name("nope"), None);
    }
}
