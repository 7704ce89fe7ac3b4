//! Kinds from field names (`infer`), aliases (`from_name`) and typo suggestions.

use super::Kind;
use Kind::*;

/// (compact name, kind, also matches as a suffix `*_name`). Compact = lowercase ASCII letters
/// and digits only, so `first_name`, `firstName` and `FirstName` all read `firstname`.
static NAMES: &[(&str, Kind, bool)] = &[
    ("uuid", Uuid, true),
    ("guid", Uuid, true),
    ("firstname", FirstName, true),
    ("givenname", FirstName, true),
    ("forename", FirstName, true),
    ("fname", FirstName, false),
    ("lastname", LastName, true),
    ("surname", LastName, true),
    ("familyname", LastName, true),
    ("lname", LastName, false),
    ("fullname", FullName, true),
    ("nametitle", NameTitle, true),
    ("salutation", NameTitle, true),
    ("honorific", NameTitle, true),
    ("username", Username, true),
    ("login", Username, false),
    ("screenname", Username, true),
    ("email", Email, true),
    ("emailaddress", Email, true),
    ("mail", Email, false),
    ("phone", Phone, true),
    ("phonenumber", Phone, true),
    ("telephone", Phone, true),
    ("tel", Phone, false),
    ("mobile", CellPhone, true),
    ("mobilephone", CellPhone, true),
    ("mobilenumber", CellPhone, true),
    ("cellphone", CellPhone, true),
    ("cell", CellPhone, false),
    ("jobtitle", JobTitle, true),
    ("profession", Profession, true),
    ("occupation", Profession, true),
    ("street", Street, true),
    ("streetaddress", Street, true),
    ("addressline1", Street, true),
    ("address1", Street, true),
    ("addressline", Street, true),
    ("address", Street, true),
    ("streetname", StreetName, true),
    ("buildingnumber", BuildingNumber, true),
    ("housenumber", BuildingNumber, true),
    ("streetnumber", BuildingNumber, true),
    ("addressline2", SecondaryAddress, true),
    ("address2", SecondaryAddress, true),
    ("secondaryaddress", SecondaryAddress, true),
    ("city", City, true),
    ("town", City, false),
    ("state", State, false),
    ("province", State, true),
    ("stateabbr", StateAbbr, true),
    ("statecode", StateAbbr, true),
    ("zip", Zip, true),
    ("zipcode", Zip, true),
    ("postalcode", Zip, true),
    ("postcode", Zip, true),
    ("country", Country, true),
    ("countryname", Country, true),
    ("countrycode", CountryCode, true),
    ("latitude", Latitude, true),
    ("lat", Latitude, true),
    ("longitude", Longitude, true),
    ("lng", Longitude, true),
    ("lon", Longitude, true),
    ("timezone", TimeZone, true),
    ("tz", TimeZone, false),
    ("company", Company, true),
    ("companyname", Company, true),
    ("organization", Company, false),
    ("organisation", Company, false),
    ("employer", Company, true),
    ("brand", Company, true),
    ("companysuffix", CompanySuffix, true),
    ("industry", Industry, true),
    ("catchphrase", CatchPhrase, true),
    ("slogan", CatchPhrase, true),
    ("tagline", CatchPhrase, true),
    ("productname", ProductName, true),
    ("category", Category, true),
    ("productcategory", Category, true),
    ("sku", Sku, true),
    ("currency", CurrencyCode, true),
    ("currencycode", CurrencyCode, true),
    ("currencyname", CurrencyName, true),
    ("creditcard", CreditCard, true),
    ("creditcardnumber", CreditCard, true),
    ("cardnumber", CreditCard, true),
    ("ccnumber", CreditCard, true),
    ("iban", Iban, true),
    ("ip", Ipv4, true),
    ("ipaddress", Ipv4, true),
    ("ipv4", Ipv4, true),
    ("ipv4address", Ipv4, true),
    ("ipv6", Ipv6, true),
    ("ipv6address", Ipv6, true),
    ("macaddress", MacAddress, true),
    ("mac", MacAddress, false),
    ("url", Url, true),
    ("uri", Url, true),
    ("website", Url, true),
    ("websiteurl", Url, true),
    ("homepage", Url, true),
    ("domain", Domain, true),
    ("domainname", Domain, true),
    ("hostname", Domain, true),
    ("useragent", UserAgent, true),
    ("color", Color, true),
    ("colour", Color, true),
    ("hexcolor", Color, true),
    ("colorname", ColorName, true),
    ("colourname", ColorName, true),
    ("password", Password, true),
    ("passwd", Password, false),
    ("slug", Slug, true),
    ("hashtag", Hashtag, true),
    ("filename", FileName, true),
    ("fileextension", FileExtension, true),
    ("extension", FileExtension, false),
    ("mimetype", MimeType, true),
    ("contenttype", MimeType, true),
    ("mediatype", MimeType, true),
    ("semver", Semver, true),
    ("version", Semver, false),
    ("language", LanguageCode, false),
    ("languagecode", LanguageCode, true),
    ("locale", LanguageCode, false),
    ("isbn", Isbn13, true),
    ("isbn13", Isbn13, true),
    ("ean", Ean13, true),
    ("ean13", Ean13, true),
    ("gtin", Ean13, true),
    ("barcode", Ean13, false),
    ("licenseplate", LicensePlate, true),
    ("licenceplate", LicensePlate, true),
    ("numberplate", LicensePlate, true),
    ("word", Word, false),
    ("sentence", Sentence, false),
    ("paragraph", Paragraph, false),
    ("description", Sentence, false),
    ("bio", Sentence, false),
];

/// Aliases accepted by `Kind::from_name` besides the exact names.
static ALIASES: &[(&str, Kind)] = &[
    ("zip_code", Zip),
    ("postal_code", Zip),
    ("postcode", Zip),
    ("ip", Ipv4),
    ("ip_address", Ipv4),
    ("ipv4_address", Ipv4),
    ("ipv6_address", Ipv6),
    ("company_name", Company),
    ("phone_number", Phone),
    ("mobile", CellPhone),
    ("mobile_phone", CellPhone),
    ("street_address", Street),
    ("address_line1", Street),
    ("address_line2", SecondaryAddress),
    ("surname", LastName),
    ("family_name", LastName),
    ("given_name", FirstName),
    ("name", FullName),
    ("user_name", Username),
    ("email_address", Email),
    ("currency", CurrencyCode),
    ("colour", Color),
    ("website", Url),
    ("timezone", TimeZone),
    ("tz", TimeZone),
    ("guid", Uuid),
    ("card_number", CreditCard),
    ("credit_card_number", CreditCard),
    ("lat", Latitude),
    ("lng", Longitude),
    ("lon", Longitude),
    ("isbn", Isbn13),
    ("ean", Ean13),
    ("language", LanguageCode),
    ("postal", Zip),
    ("province", State),
    ("job", JobTitle),
    ("mac", MacAddress),
    ("version", Semver),
    ("hex_color", Color),
    ("hostname", Domain),
    ("licence_plate", LicensePlate),
];

pub(super) fn alias(name: &str) -> Option<Kind> {
    ALIASES.iter().find(|(a, _)| *a == name).map(|&(_, k)| k)
}

fn lookup(compact: &str, as_suffix: bool) -> Option<Kind> {
    NAMES.iter().find(|(n, _, suffix)| *n == compact && (*suffix || !as_suffix)).map(|&(_, k, _)| k)
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

pub(super) fn infer(field_name: &str) -> Option<Kind> {
    let toks = tokens(field_name);
    if toks.is_empty() {
        return None;
    }
    let whole: String = toks.concat();
    if let Some(k) = lookup(&whole, false) {
        return Some(k);
    }
    // `*_id` fields are identifiers whose type decides; never guess from their prefix.
    if toks.last().is_some_and(|t| t == "id" || t == "ids") {
        return None;
    }
    // Longest suffix first: `billing_zip_code` tries `zipcode` before `code`.
    for start in 1..toks.len() {
        let suffix: String = toks[start..].concat();
        if let Some(k) = lookup(&suffix, true) {
            return Some(k);
        }
    }
    None
}

/// The known name (or alias) closest to `name` by edit distance, if close enough to be a typo.
pub(super) fn closest(name: &str) -> Option<&'static str> {
    let candidates = Kind::ALL.iter().map(|k| k.name()).chain(ALIASES.iter().map(|(a, _)| *a));
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
fn edit_distance(a: &str, b: &str) -> usize {
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
