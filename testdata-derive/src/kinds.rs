//! The kind vocabulary, copied from `testdata::kinds` (a test keeps them equal).

/// (name, min chars, max chars or `None`), as `Kind::ALL` and `Kind::len_bounds`.
pub static KINDS: &[(&str, usize, Option<usize>)] = &[
    ("uuid", 36, Some(36)),
    ("first_name", 1, Some(12)),
    ("last_name", 1, Some(20)),
    ("full_name", 3, Some(32)),
    ("name_title", 1, Some(4)),
    ("username", 3, Some(26)),
    ("email", 10, Some(39)),
    ("safe_email", 15, Some(38)),
    ("phone", 12, Some(21)),
    ("cell_phone", 12, Some(15)),
    ("job_title", 6, Some(47)),
    ("profession", 3, Some(17)),
    ("street", 8, Some(30)),
    ("street_name", 2, Some(26)),
    ("building_number", 1, Some(5)),
    ("secondary_address", 2, Some(14)),
    ("city", 2, Some(24)),
    ("state", 3, Some(26)),
    ("state_abbr", 2, Some(5)),
    ("zip", 5, Some(9)),
    ("country", 2, Some(13)),
    ("country_code", 2, Some(2)),
    ("latitude", 8, Some(10)),
    ("longitude", 8, Some(11)),
    ("time_zone", 10, Some(28)),
    ("company", 4, Some(45)),
    ("company_suffix", 2, Some(12)),
    ("industry", 5, Some(37)),
    ("catch_phrase", 14, Some(63)),
    ("product_name", 13, Some(32)),
    ("category", 4, Some(15)),
    ("sku", 10, Some(10)),
    ("currency_code", 3, Some(3)),
    ("currency_name", 3, Some(18)),
    ("credit_card", 15, Some(16)),
    ("iban", 16, Some(29)),
    ("ipv4", 7, Some(15)),
    ("ipv6", 18, Some(39)),
    ("mac_address", 17, Some(17)),
    ("url", 13, Some(73)),
    ("domain", 5, Some(31)),
    ("user_agent", 78, Some(138)),
    ("color", 7, Some(7)),
    ("color_name", 3, Some(9)),
    ("word", 1, Some(14)),
    ("words", 3, Some(74)),
    ("sentence", 8, Some(180)),
    ("paragraph", 26, Some(1085)),
    ("password", 12, Some(24)),
    ("slug", 3, Some(59)),
    ("hashtag", 2, Some(29)),
    ("file_name", 7, Some(19)),
    ("file_extension", 2, Some(5)),
    ("mime_type", 8, Some(73)),
    ("semver", 5, Some(15)),
    ("language_code", 5, Some(5)),
    ("isbn13", 13, Some(13)),
    ("ean13", 13, Some(13)),
    ("license_plate", 7, Some(15)),
];

/// Aliases accepted by `Kind::from_name`.
pub static ALIASES: &[(&str, &str)] = &[
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

/// (compact name, kind, also as a suffix), as `kinds::infer`.
pub static NAMES: &[(&str, &str, bool)] = &[
    ("uuid", "uuid", true),
    ("guid", "uuid", true),
    ("firstname", "first_name", true),
    ("givenname", "first_name", true),
    ("forename", "first_name", true),
    ("fname", "first_name", false),
    ("lastname", "last_name", true),
    ("surname", "last_name", true),
    ("familyname", "last_name", true),
    ("lname", "last_name", false),
    ("fullname", "full_name", true),
    ("nametitle", "name_title", true),
    ("salutation", "name_title", true),
    ("honorific", "name_title", true),
    ("username", "username", true),
    ("login", "username", false),
    ("screenname", "username", true),
    ("email", "email", true),
    ("emailaddress", "email", true),
    ("mail", "email", false),
    ("phone", "phone", true),
    ("phonenumber", "phone", true),
    ("telephone", "phone", true),
    ("tel", "phone", false),
    ("mobile", "cell_phone", true),
    ("mobilephone", "cell_phone", true),
    ("mobilenumber", "cell_phone", true),
    ("cellphone", "cell_phone", true),
    ("cell", "cell_phone", false),
    ("jobtitle", "job_title", true),
    ("profession", "profession", true),
    ("occupation", "profession", true),
    ("street", "street", true),
    ("streetaddress", "street", true),
    ("addressline1", "street", true),
    ("address1", "street", true),
    ("addressline", "street", true),
    ("address", "street", true),
    ("streetname", "street_name", true),
    ("buildingnumber", "building_number", true),
    ("housenumber", "building_number", true),
    ("streetnumber", "building_number", true),
    ("addressline2", "secondary_address", true),
    ("address2", "secondary_address", true),
    ("secondaryaddress", "secondary_address", true),
    ("city", "city", true),
    ("town", "city", false),
    ("state", "state", false),
    ("province", "state", true),
    ("stateabbr", "state_abbr", true),
    ("statecode", "state_abbr", true),
    ("zip", "zip", true),
    ("zipcode", "zip", true),
    ("postalcode", "zip", true),
    ("postcode", "zip", true),
    ("country", "country", true),
    ("countryname", "country", true),
    ("countrycode", "country_code", true),
    ("latitude", "latitude", true),
    ("lat", "latitude", true),
    ("longitude", "longitude", true),
    ("lng", "longitude", true),
    ("lon", "longitude", true),
    ("timezone", "time_zone", true),
    ("tz", "time_zone", false),
    ("company", "company", true),
    ("companyname", "company", true),
    ("organization", "company", false),
    ("organisation", "company", false),
    ("employer", "company", true),
    ("brand", "company", true),
    ("companysuffix", "company_suffix", true),
    ("industry", "industry", true),
    ("catchphrase", "catch_phrase", true),
    ("slogan", "catch_phrase", true),
    ("tagline", "catch_phrase", true),
    ("productname", "product_name", true),
    ("category", "category", true),
    ("productcategory", "category", true),
    ("sku", "sku", true),
    ("currency", "currency_code", true),
    ("currencycode", "currency_code", true),
    ("currencyname", "currency_name", true),
    ("creditcard", "credit_card", true),
    ("creditcardnumber", "credit_card", true),
    ("cardnumber", "credit_card", true),
    ("ccnumber", "credit_card", true),
    ("iban", "iban", true),
    ("ip", "ipv4", true),
    ("ipaddress", "ipv4", true),
    ("ipv4", "ipv4", true),
    ("ipv4address", "ipv4", true),
    ("ipv6", "ipv6", true),
    ("ipv6address", "ipv6", true),
    ("macaddress", "mac_address", true),
    ("mac", "mac_address", false),
    ("url", "url", true),
    ("uri", "url", true),
    ("website", "url", true),
    ("websiteurl", "url", true),
    ("homepage", "url", true),
    ("domain", "domain", true),
    ("domainname", "domain", true),
    ("hostname", "domain", true),
    ("useragent", "user_agent", true),
    ("color", "color", true),
    ("colour", "color", true),
    ("hexcolor", "color", true),
    ("colorname", "color_name", true),
    ("colourname", "color_name", true),
    ("password", "password", true),
    ("passwd", "password", false),
    ("slug", "slug", true),
    ("hashtag", "hashtag", true),
    ("filename", "file_name", true),
    ("fileextension", "file_extension", true),
    ("extension", "file_extension", false),
    ("mimetype", "mime_type", true),
    ("contenttype", "mime_type", true),
    ("mediatype", "mime_type", true),
    ("semver", "semver", true),
    ("version", "semver", false),
    ("language", "language_code", false),
    ("languagecode", "language_code", true),
    ("locale", "language_code", false),
    ("isbn", "isbn13", true),
    ("isbn13", "isbn13", true),
    ("ean", "ean13", true),
    ("ean13", "ean13", true),
    ("gtin", "ean13", true),
    ("barcode", "ean13", false),
    ("licenseplate", "license_plate", true),
    ("licenceplate", "license_plate", true),
    ("numberplate", "license_plate", true),
    ("word", "word", false),
    ("sentence", "sentence", false),
    ("paragraph", "paragraph", false),
    ("description", "sentence", false),
    ("bio", "sentence", false),
];

/// The canonical kind name of `name` (exact name or alias), as `Kind::from_name`.
pub fn from_name(name: &str) -> Option<&'static str> {
    KINDS
        .iter()
        .find(|k| k.0 == name)
        .map(|k| k.0)
        .or_else(|| ALIASES.iter().find(|(a, _)| *a == name).map(|(_, k)| *k))
}

/// The length bounds of a kind.
pub fn len_bounds(name: &str) -> (usize, Option<usize>) {
    KINDS.iter().find(|k| k.0 == name).map(|k| (k.1, k.2)).unwrap_or((0, None))
}

/// `first_name` → `FirstName`: the `Kind` variant of a kind name.
pub fn variant(name: &str) -> String {
    name.split('_')
        .map(|w| {
            let mut c = w.chars();
            match c.next() {
                Some(f) => f.to_ascii_uppercase().to_string() + c.as_str(),
                None => String::new(),
            }
        })
        .collect()
}

fn lookup(compact: &str, as_suffix: bool) -> Option<&'static str> {
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

/// The kind a field name asks for, as `Kind::infer`.
pub fn infer(field_name: &str) -> Option<&'static str> {
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
pub fn closest(name: &str) -> Option<&'static str> {
    let candidates = KINDS.iter().map(|k| k.0).chain(ALIASES.iter().map(|(a, _)| *a));
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

#[cfg(test)]
mod tests {
    use testdata::kinds::Kind;

    #[test]
    fn kind_names_equal_the_engine() {
        let ours: Vec<&str> = super::KINDS.iter().map(|k| k.0).collect();
        let theirs: Vec<&str> = Kind::ALL.iter().map(|k| k.name()).collect();
        assert_eq!(ours, theirs);
        for k in Kind::ALL {
            assert_eq!(super::len_bounds(k.name()), k.len_bounds(), "{k}");
            assert_eq!(super::variant(k.name()), format!("{k:?}"), "variant of {k}");
        }
        for (alias, kind) in super::ALIASES {
            assert_eq!(Kind::from_name(alias).map(|k| k.name()), Some(*kind), "{alias}");
        }
    }

    #[test]
    fn inference_equals_the_engine() {
        let mut names: Vec<String> = super::NAMES.iter().map(|n| n.0.to_string()).collect();
        for (n, _, _) in super::NAMES {
            names.push(format!("billing_{n}"));
            names.push(format!("{n}_id"));
        }
        names.extend(
            [
                "firstName",
                "userEmail",
                "ipAddress",
                "billing_zip_code",
                "HomePage",
                "id",
                "name",
                "title",
                "x",
            ]
            .map(String::from),
        );
        for n in &names {
            assert_eq!(super::infer(n), Kind::infer(n).map(|k| k.name()), "{n}");
        }
        assert_eq!(super::closest("emial"), Some("email"));
    }
}
