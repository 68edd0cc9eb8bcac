//! A rule set's document as written: a JSON value read by serde from any
//! format, and a reader that takes it apart member by member, so that
//! every fault is named with its path.
//!
//! - A member given twice in one object keeps its last value, as JSON
//!   readers commonly do (**decision**; the guide's large-match example
//!   names `target` and `steps` twice in one expansion).
//! - Values nest at most [`MAX_NESTING`] levels (**decision**; a rule set
//!   needs five).
//! - A member the schema does not define is refused, naming its path
//!   (`rules[2].maxDistanse`).
//! - `//` and `/* */` comments may be left in a body (**decision**: the
//!   guide's examples carry them): [`strip_comments`] blanks them out
//!   before the body is read.

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};

use crate::model::echo::Cut;

/// How deeply a rule set's values may nest: objects and lists inside one
/// another.
pub const MAX_NESTING: usize = 32;

/// A JSON value; an object keeps its members in order, the last of a name
/// given twice.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Json {
    Null,
    Bool(bool),
    Number(f64),
    Text(String),
    List(Vec<Json>),
    Object(Vec<(String, Json)>),
}

impl Json {
    /// What kind of value it is, for messages.
    fn kind(&self) -> &'static str {
        match self {
            Json::Null => "null",
            Json::Bool(_) => "a boolean",
            Json::Number(_) => "a number",
            Json::Text(_) => "a string",
            Json::List(_) => "a list",
            Json::Object(_) => "an object",
        }
    }
}

/// Reads a [`Json`] at a depth, refusing to go deeper than
/// [`MAX_NESTING`].
struct Seed(usize);

impl<'de> DeserializeSeed<'de> for Seed {
    type Value = Json;

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Json, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Seed {
    type Value = Json;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_unit<E: de::Error>(self) -> Result<Json, E> {
        Ok(Json::Null)
    }

    fn visit_none<E: de::Error>(self) -> Result<Json, E> {
        Ok(Json::Null)
    }

    fn visit_some<D: de::Deserializer<'de>>(self, d: D) -> Result<Json, D::Error> {
        d.deserialize_any(self)
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Json, E> {
        Ok(Json::Bool(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Json, E> {
        Ok(Json::Number(v as f64))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Json, E> {
        Ok(Json::Number(v as f64))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Json, E> {
        Ok(Json::Number(v))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Json, E> {
        Ok(Json::Text(v.to_owned()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Json, E> {
        Ok(Json::Text(v))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Json, A::Error> {
        let depth = self.deeper::<A::Error>()?;
        let mut items = Vec::new();
        while let Some(item) = seq.next_element_seed(Seed(depth))? {
            items.push(item);
        }
        Ok(Json::List(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Json, A::Error> {
        let depth = self.deeper::<A::Error>()?;
        let mut members: Vec<(String, Json)> = Vec::new();
        while let Some(name) = map.next_key::<String>()? {
            let value = map.next_value_seed(Seed(depth))?;
            match members.iter_mut().find(|(n, _)| *n == name) {
                Some(member) => member.1 = value,
                None => members.push((name, value)),
            }
        }
        Ok(Json::Object(members))
    }
}

impl Seed {
    fn deeper<E: de::Error>(&self) -> Result<usize, E> {
        if self.0 >= MAX_NESTING {
            return Err(E::custom(format!(
                "the rule set nests values more than {MAX_NESTING} levels deep"
            )));
        }
        Ok(self.0 + 1)
    }
}

impl<'de> serde::Deserialize<'de> for Json {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Json, D::Error> {
        Seed(0).deserialize(d)
    }
}

/// The body with its `//` and `/* */` comments blanked out (each comment
/// character a space, each newline kept, so that a parser's line and
/// column still point into the body as written). Text inside strings is
/// left alone. Borrows the body when it has no comment.
///
/// ```
/// use gamelift_session::flexmatch::strip_comments;
///
/// let body = "{\"maxDistance\": 10 // or 50\n, \"a\": \"//kept\"}";
/// assert_eq!(strip_comments(body), "{\"maxDistance\": 10         \n, \"a\": \"//kept\"}");
/// assert!(matches!(strip_comments("{}"), std::borrow::Cow::Borrowed(_)));
/// ```
#[must_use]
pub fn strip_comments(body: &str) -> Cow<'_, str> {
    if !body.contains("//") && !body.contains("/*") {
        return Cow::Borrowed(body);
    }
    let mut out = String::with_capacity(body.len());
    let mut chars = body.chars().peekable();
    let mut in_string = false;
    while let Some(c) = chars.next() {
        if in_string {
            out.push(c);
            match c {
                '\\' => {
                    if let Some(next) = chars.next() {
                        out.push(next);
                    }
                }
                '"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match (c, chars.peek()) {
            ('"', _) => {
                in_string = true;
                out.push(c);
            }
            ('/', Some('/')) => {
                out.push(' ');
                while let Some(&next) = chars.peek() {
                    if next == '\n' {
                        break;
                    }
                    out.push(' ');
                    chars.next();
                }
            }
            ('/', Some('*')) => {
                out.push(' ');
                out.push(' ');
                chars.next();
                let mut last = '\0';
                for next in chars.by_ref() {
                    out.push(if next == '\n' { '\n' } else { ' ' });
                    if last == '*' && next == '/' {
                        break;
                    }
                    last = next;
                }
            }
            _ => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// Where a value sits in the document: `rules[2].maxDistance`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct Path(String);

impl Path {
    pub(crate) fn member(&self, name: &str) -> Path {
        if self.0.is_empty() {
            Path(Cut(name).to_string())
        } else {
            Path(format!("{}.{}", self.0, Cut(name)))
        }
    }

    pub(crate) fn item(&self, index: usize) -> Path {
        Path(format!("{}[{}]", self.0, index + 1))
    }
}

impl fmt::Display for Path {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A fault of the document, as a sentence.
pub(crate) type Fault = String;

/// An object being read: each member taken once; what is left over when
/// it is [`finished`](Object::finish) is refused.
pub(crate) struct Object<'d> {
    pub(crate) path: Path,
    members: &'d [(String, Json)],
    taken: Vec<bool>,
}

impl<'d> Object<'d> {
    /// The object `value` at `path`.
    pub(crate) fn of(value: &'d Json, path: Path) -> Result<Object<'d>, Fault> {
        match value {
            Json::Object(members) => Ok(Object {
                path,
                members,
                taken: vec![false; members.len()],
            }),
            other => Err(format!("{path} must be an object, not {}", other.kind())),
        }
    }

    /// The member `name`, if given (`null` counts as not given).
    pub(crate) fn take(&mut self, name: &str) -> Option<&'d Json> {
        let i = self.members.iter().position(|(n, _)| n == name)?;
        self.taken[i] = true;
        match &self.members[i].1 {
            Json::Null => None,
            value => Some(value),
        }
    }

    /// The string member `name`.
    pub(crate) fn text(&mut self, name: &str) -> Result<Option<&'d str>, Fault> {
        match self.take(name) {
            None => Ok(None),
            Some(Json::Text(s)) => Ok(Some(s)),
            Some(other) => Err(format!(
                "{} must be a string, not {}",
                self.path.member(name),
                other.kind()
            )),
        }
    }

    /// The number member `name`: a number, or a string holding one (the
    /// guide's examples quote numbers); finite.
    pub(crate) fn number(&mut self, name: &str) -> Result<Option<f64>, Fault> {
        let path = self.path.member(name);
        self.take(name).map(|v| number_at(v, &path)).transpose()
    }

    /// The list member `name`.
    pub(crate) fn list(&mut self, name: &str) -> Result<Option<&'d [Json]>, Fault> {
        match self.take(name) {
            None => Ok(None),
            Some(Json::List(items)) => Ok(Some(items)),
            Some(other) => Err(format!(
                "{} must be a list, not {}",
                self.path.member(name),
                other.kind()
            )),
        }
    }

    /// The name of the first member not taken.
    pub(crate) fn leftover(&self) -> Option<&'d str> {
        let i = self.taken.iter().position(|t| !t)?;
        Some(self.members[i].0.as_str())
    }

    /// Refuses the first member not taken.
    pub(crate) fn finish(self) -> Result<(), Fault> {
        match self.taken.iter().position(|t| !t) {
            Some(i) => Err(format!(
                "{} is not a member the rule set language defines here",
                self.path.member(&self.members[i].0)
            )),
            None => Ok(()),
        }
    }
}

/// A finite number, or a string holding one, at `path`.
pub(crate) fn number_at(value: &Json, path: &Path) -> Result<f64, Fault> {
    let n = match value {
        Json::Number(n) => Some(*n),
        Json::Text(t) => t.trim().parse::<f64>().ok(),
        _ => None,
    };
    n.filter(|n| n.is_finite())
        .ok_or_else(|| format!("{path} must be a number"))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn read(text: &str) -> Result<Json, String> {
        serde_json::from_str::<Json>(text).map_err(|e| e.to_string())
    }

    #[test]
    fn the_last_of_a_member_given_twice_wins() {
        assert_eq!(
            read(r#"{"a": 1, "b": 2, "a": 3}"#).unwrap(),
            Json::Object(vec![
                ("a".to_owned(), Json::Number(3.0)),
                ("b".to_owned(), Json::Number(2.0))
            ])
        );
    }

    #[test]
    fn nesting_is_bounded() {
        let fine = format!("{}{}", "[".repeat(MAX_NESTING), "]".repeat(MAX_NESTING));
        assert!(read(&fine).is_ok());
        let deep = format!("{}{}", "[".repeat(20_000), "]".repeat(20_000));
        let err = read(&deep).unwrap_err();
        assert!(
            err.starts_with("the rule set nests values more than 32 levels deep"),
            "{err}"
        );
    }

    #[test]
    fn comments_are_blanked_but_strings_are_not() {
        let body = "{/* a\nb */\"x\": \"a/*b*/c\", // end\n\"y\": \"q\\\"//\"}";
        let stripped = strip_comments(body);
        assert_eq!(
            stripped,
            "{    \n    \"x\": \"a/*b*/c\",       \n\"y\": \"q\\\"//\"}"
        );
        assert!(read(&stripped).is_ok());
    }

    #[test]
    fn objects_name_what_they_do_not_define() {
        let v = read(r#"{"name": "x", "maxDistanse": 3}"#).unwrap();
        let mut o = Object::of(&v, Path::default().member("rules").item(1)).unwrap();
        assert_eq!(o.text("name").unwrap(), Some("x"));
        assert_eq!(
            o.finish().unwrap_err(),
            "rules[2].maxDistanse is not a member the rule set language defines here"
        );
        let v = read(r#"{"n": "12.5", "t": [1]}"#).unwrap();
        let mut o = Object::of(&v, Path::default()).unwrap();
        assert_eq!(o.number("n").unwrap(), Some(12.5));
        assert_eq!(o.text("t").unwrap_err(), "t must be a string, not a list");
    }
}
