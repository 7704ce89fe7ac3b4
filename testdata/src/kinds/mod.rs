//! Semantic value generators: the shared vocabulary of the derive attributes, the runtime
//! schema, the LLM prompts and the validators.
//!
//! Each kind is a function `fn(&mut Gen, &Scope) -> String` and a [`Kind`] variant that
//! dispatches to it, knows its name, its documented shape, its length bounds, and checks
//! values claimed to be of it.
//!
//! ```
//! use testdata::kinds::{Kind, Scope};
//! use testdata::{Context, Key, Seed, seed::name_key};
//!
//! let ctx = Context::default();
//! let user = Key::root(Seed::new(7), name_key("User"), 0);
//! let scope = Scope::new(user, &ctx);
//! let email = Kind::Email.generate(&mut user.field(name_key("email")), &scope);
//! assert!(Kind::Email.check(&email).is_ok());
//! assert_eq!(email, Kind::Email.generate(&mut user.field(name_key("email")), &scope));
//! ```
//!
//! # Data and determinism
//!
//! The tables come from the `fake` crate's locale data (names, street suffixes, phone formats,
//! company suffixes, job titles, lorem words) and from our own tables in `data.rs` (regions with
//! postal-code prefixes and cities, products, colours, file types, currencies, user agents).
//! All sampling is ours ([`Gen`]); `fake`'s generators and `rand`'s distributions are never
//! called, so the output only changes when our code or tables change.
//!
//! # Coherence within a record
//!
//! Kinds that describe one thing of a record draw that thing from a dedicated sub-stream of the
//! record key ([`Scope::key`]), not from the field's own stream, so they agree with each other
//! while every field stays independently computable (adding or removing a field never changes
//! another one):
//!
//! | sub-stream (`key.child(name_key(tag))`) | kinds that agree |
//! |---|---|
//! | [`PERSON`] `"$person"` | first_name, last_name, full_name, username, email, safe_email |
//! | [`ADDRESS`] `"$address"` | state, state_abbr, zip, city, country, country_code, latitude, longitude, time_zone |
//! | [`PRODUCT`] `"$product"` | category, sku |
//! | [`CURRENCY`] `"$currency"` | currency_code, currency_name |
//! | [`FILE`] `"$file"` | file_name, file_extension, mime_type |
//!
//! `country` and `country_code` follow the record's locale (its address), named in the
//! locale's language (`United States`, `France`, `Deutschland`, `Brasil`, `日本`).
//!
//! Per-field variety (email provider and digits, username separator, street) comes from the
//! field's own stream.

use std::cell::Cell;
use std::fmt;
use std::str::FromStr;

use crate::context::{Context, Locale};
use crate::rng::Gen;
use crate::seed::Key;

mod address;
mod check;
mod commerce;
mod data;
mod infer;
mod internet;
mod misc;
mod person;
mod text;
mod util;

#[cfg(test)]
mod tests;

pub use address::{
    ADDRESS, building_number, city, country, country_code, latitude, longitude, secondary_address, state,
    state_abbr, street, street_name, time_zone, zip,
};
pub use commerce::{
    CURRENCY, PRODUCT, catch_phrase, category, color, color_name, company, company_suffix, credit_card,
    currency_code, currency_name, ean13, iban, industry, isbn13, product_name, sku,
};
pub use internet::{domain, hashtag, ipv4, ipv6, mac_address, password, slug, url, user_agent, uuid};
pub use misc::{
    FILE, cell_phone, file_extension, file_name, language_code, license_plate, mime_type, phone, semver,
};
pub use person::{
    PERSON, email, first_name, full_name, job_title, last_name, name_title, profession, safe_email, username,
};
pub use text::{paragraph, sentence, word, words};

/// The record (object) a field belongs to, plus the run's settings. One scope serves every
/// field of a record: the record's person and place are drawn once, on first use, and shared
/// by its name, email, city and postal-code fields (the same values as drawing them per field,
/// which a scope per field does).
#[derive(Clone, Debug)]
pub struct Scope<'a> {
    /// The record's key: coherent kinds draw from its sub-streams.
    pub key: Key,
    /// The run's settings (locale, anchor).
    pub ctx: &'a Context,
    /// The first draw of the `$person` stream of the key it was made for, once made.
    person: Cell<Option<(Key, u64)>>,
    /// The region index drawn for a key and a locale, once drawn.
    region: Cell<Option<(Key, Locale, usize)>>,
}

impl<'a> Scope<'a> {
    /// The scope of the record `key` under the settings `ctx`.
    #[inline]
    pub fn new(key: Key, ctx: &'a Context) -> Self {
        Scope { key, ctx, person: Cell::new(None), region: Cell::new(None) }
    }

    /// The first draw of the record's [`PERSON`] stream. (The caches remember the key and
    /// locale they were filled for, so a scope whose public fields are changed stays right.)
    #[inline]
    pub(crate) fn person_draw(&self) -> u64 {
        if let Some((k, x)) = self.person.get()
            && k == self.key
        {
            return x;
        }
        let x = self.key.child(PERSON).stream().next_u64();
        self.person.set(Some((self.key, x)));
        x
    }

    /// The record's region: an index below `regions` (the size of the locale's region table),
    /// drawn first from its [`ADDRESS`] stream.
    #[inline]
    pub(crate) fn region(&self, regions: usize) -> usize {
        let locale = self.ctx.locale();
        if let Some((k, l, i)) = self.region.get()
            && k == self.key
            && l == locale
            && i < regions
        {
            return i;
        }
        let i = self.key.child(ADDRESS).stream().index(regions);
        self.region.set(Some((self.key, locale, i)));
        i
    }
}

macro_rules! kinds {
    ($( $v:ident = $name:literal, $f:ident, ($min:expr, $max:expr), $doc:literal; )*) => {
        /// A semantic kind of string value. See the [module docs](self).
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Kind {
            $( #[doc = $doc] $v, )*
        }

        impl Kind {
            /// Every kind, in declaration order.
            pub const ALL: &'static [Kind] = &[$(Kind::$v),*];

            /// The kind's snake_case name (`first_name`).
            pub const fn name(self) -> &'static str {
                match self { $(Kind::$v => $name),* }
            }

            /// One line describing the output shape.
            pub const fn doc(self) -> &'static str {
                match self { $(Kind::$v => $doc),* }
            }

            /// The minimum and maximum number of chars (not bytes) the generator can produce,
            /// across every locale (`None`: no useful upper bound).
            pub const fn len_bounds(self) -> (usize, Option<usize>) {
                match self { $(Kind::$v => ($min, $max)),* }
            }

            /// Generates a value: draws variety from `g` (the field's stream) and record-level
            /// coherence from `s`.
            #[inline]
            pub fn generate(self, g: &mut Gen, s: &Scope<'_>) -> String {
                match self { $(Kind::$v => $f(g, s)),* }
            }

            fn from_exact(name: &str) -> Option<Kind> {
                match name { $($name => Some(Kind::$v),)* _ => None }
            }
        }
    };
}

kinds! {
    Uuid = "uuid", uuid, (36, Some(36)), "RFC 4122 version-4 UUID, lowercase hex, 36 chars";
    FirstName = "first_name", first_name, (1, Some(12)), "given name of the record's person, in the locale";
    LastName = "last_name", last_name, (1, Some(20)), "family name of the record's person, in the locale";
    FullName = "full_name", full_name, (3, Some(32)), "`First Last` (ja_JP `Last First`) of the record's person";
    NameTitle = "name_title", name_title, (1, Some(4)), "form of address of the locale (`Mr.`, `Mme`, `Herr`)";
    Username = "username", username, (3, Some(26)), "lowercase ASCII handle of the record's person, `[a-z0-9._]`";
    Email = "email", email, (10, Some(39)), "lowercase ASCII `local@provider.tld` of the record's person";
    SafeEmail = "safe_email", safe_email, (15, Some(38)), "lowercase ASCII `local@example.{com,org,net}` of the record's person";
    Phone = "phone", phone, (12, Some(21)), "phone number in a format of the locale";
    CellPhone = "cell_phone", cell_phone, (12, Some(15)), "mobile phone number in a format of the locale";
    JobTitle = "job_title", job_title, (6, Some(47)), "`Seniority Field Position` job title";
    Profession = "profession", profession, (3, Some(17)), "lowercase English profession (`web developer`)";
    Street = "street", street, (8, Some(30)), "building number and street name, laid out as in the locale";
    StreetName = "street_name", street_name, (2, Some(26)), "street name without a number, as in the locale";
    BuildingNumber = "building_number", building_number, (1, Some(5)), "building number, digits without a leading zero";
    SecondaryAddress = "secondary_address", secondary_address, (2, Some(14)), "apartment/suite line (`Apt. 123`, `Apto. 12`)";
    City = "city", city, (2, Some(24)), "real city of the record's state";
    State = "state", state, (3, Some(26)), "record's state/région/Land/prefecture, in the locale's language";
    StateAbbr = "state_abbr", state_abbr, (2, Some(5)), "record's state code (`CA`, `BRE`, `BY`, `SP`, `JP-13`)";
    Zip = "zip", zip, (5, Some(9)), "record's postal code, in its state's range (`#####`, `#####-###`, `###-####`)";
    Country = "country", country, (2, Some(13)), "record's country, in the locale's language";
    CountryCode = "country_code", country_code, (2, Some(2)), "record's ISO 3166-1 alpha-2 country code";
    Latitude = "latitude", latitude, (8, Some(10)), "latitude in the record's country's bounding box, decimal degrees, 6 decimals";
    Longitude = "longitude", longitude, (8, Some(11)), "longitude in the record's country's bounding box, decimal degrees, 6 decimals";
    TimeZone = "time_zone", time_zone, (10, Some(28)), "IANA time zone of the record's country (`Europe/Paris`)";
    Company = "company", company, (4, Some(45)), "company name from surnames and a legal suffix of the locale";
    CompanySuffix = "company_suffix", company_suffix, (2, Some(12)), "legal-form suffix of the locale (`LLC`, `GmbH`)";
    Industry = "industry", industry, (5, Some(37)), "English industry name (`Computer Software`)";
    CatchPhrase = "catch_phrase", catch_phrase, (14, Some(63)), "English business catch phrase";
    ProductName = "product_name", product_name, (13, Some(32)), "`Adjective Material Noun` English product name";
    Category = "category", category, (4, Some(15)), "record's English product category (`Electronics`)";
    Sku = "sku", sku, (10, Some(10)), "record's category code, dash, 6 digits (`ELE-004817`)";
    CurrencyCode = "currency_code", currency_code, (3, Some(3)), "record's active ISO 4217 currency code (`EUR`)";
    CurrencyName = "currency_name", currency_name, (3, Some(18)), "record's ISO 4217 currency name (`Euro`)";
    CreditCard = "credit_card", credit_card, (15, Some(16)), "Luhn-valid Visa/Mastercard/Amex/Discover number, digits only";
    Iban = "iban", iban, (16, Some(29)), "IBAN with valid mod-97 check digits, no spaces";
    Ipv4 = "ipv4", ipv4, (7, Some(15)), "public-looking IPv4 address, dotted decimal";
    Ipv6 = "ipv6", ipv6, (18, Some(39)), "global unicast IPv6 address, 8 lowercase hex groups, no `::`";
    MacAddress = "mac_address", mac_address, (17, Some(17)), "unicast MAC address, `xx:xx:xx:xx:xx:xx` lowercase hex";
    Url = "url", url, (13, Some(73)), "`https://` URL on a domain of the locale, optional path";
    Domain = "domain", domain, (5, Some(31)), "lowercase ASCII domain name with a TLD of the locale";
    UserAgent = "user_agent", user_agent, (78, Some(138)), "current browser user-agent string";
    Color = "color", color, (7, Some(7)), "hex colour `#rrggbb`, lowercase";
    ColorName = "color_name", color_name, (3, Some(9)), "lowercase CSS colour name (`teal`)";
    Word = "word", word, (1, Some(14)), "one lowercase lorem-ipsum word";
    Words = "words", words, (3, Some(74)), "2 to 5 lowercase lorem-ipsum words, space-separated";
    Sentence = "sentence", sentence, (8, Some(180)), "4 to 12 lorem-ipsum words, capitalised, ending with `.`";
    Paragraph = "paragraph", paragraph, (26, Some(1085)), "3 to 6 lorem-ipsum sentences";
    Password = "password", password, (12, Some(24)), "12 to 24 printable ASCII chars with lower, upper, digit and symbol";
    Slug = "slug", slug, (3, Some(59)), "2 to 4 lowercase lorem words joined by `-`";
    Hashtag = "hashtag", hashtag, (2, Some(29)), "`#` and one or two lowercase words run together";
    FileName = "file_name", file_name, (7, Some(19)), "`stem[_n].ext` file name with the record's extension";
    FileExtension = "file_extension", file_extension, (2, Some(5)), "record's lowercase file extension, no dot (`pdf`)";
    MimeType = "mime_type", mime_type, (8, Some(73)), "record's MIME type, `type/subtype`";
    Semver = "semver", semver, (5, Some(15)), "semantic version `MAJOR.MINOR.PATCH[-pre.N]`";
    LanguageCode = "language_code", language_code, (5, Some(5)), "BCP 47 language tag with region (`en-US`)";
    Isbn13 = "isbn13", isbn13, (13, Some(13)), "ISBN-13, 13 digits, prefix 978/979, valid check digit";
    Ean13 = "ean13", ean13, (13, Some(13)), "EAN-13, 13 digits, GS1 prefix of the locale, valid check digit";
    LicensePlate = "license_plate", license_plate, (7, Some(15)), "vehicle licence plate in a format of the locale";
}

impl Kind {
    /// The kind named `name`: an exact [`Kind::name`] or one of a few aliases (`zip_code`,
    /// `postal_code`, `ip`, `ip_address`, `company_name`, `phone_number`, `street_address`,
    /// `surname`, `given_name`, …). Case-sensitive; [`FromStr`] is more tolerant.
    pub fn from_name(name: &str) -> Option<Kind> {
        Kind::from_exact(name).or_else(|| infer::alias(name))
    }

    /// Checks that `value` has the kind's shape; `Err` says what is wrong
    /// (`"is not an email address (local@domain.tld)"`).
    pub fn check(self, value: &str) -> Result<(), &'static str> {
        check::check(self, value)
    }

    /// The kind a field name clearly asks for (`email`, `userEmail`, `billing_zip_code`,
    /// `ipAddress`), or `None` when unsure. Plain `*_id` fields are never inferred.
    pub fn infer(field_name: &str) -> Option<Kind> {
        infer::infer(field_name)
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A kind name that is not a known kind.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unknown kind `{name}`{}Known kinds: {}", suggestion_text(.suggestion), known_kinds())]
pub struct UnknownKind {
    /// The name as given.
    pub name: String,
    /// The closest known name, if one is close.
    pub suggestion: Option<&'static str>,
}

fn suggestion_text(s: &Option<&'static str>) -> String {
    match s {
        Some(s) => format!("; did you mean `{s}`? "),
        None => ". ".to_owned(),
    }
}

fn known_kinds() -> String {
    let mut out = String::new();
    for (i, k) in Kind::ALL.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        out.push_str(k.name());
    }
    out
}

impl FromStr for Kind {
    type Err = UnknownKind;

    /// Parses a kind name: exact names and aliases, case-insensitive, `-` or ` ` for `_`.
    fn from_str(s: &str) -> Result<Kind, UnknownKind> {
        let norm: String = s
            .trim()
            .chars()
            .map(|c| if c == '-' || c == ' ' { '_' } else { c.to_ascii_lowercase() })
            .collect();
        Kind::from_name(&norm)
            .ok_or_else(|| UnknownKind { name: s.to_owned(), suggestion: infer::closest(&norm) })
    }
}
