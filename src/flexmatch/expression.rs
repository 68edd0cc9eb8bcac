//! FlexMatch property expressions: what a rule measures in a proposed
//! match, and its reference value.
//!
//! ```text
//! expression := number
//!             | function "(" expression ")"
//!             | "teams" "[" selection "]" [ ".players" [ ".attributes" "[" name "]" ] ]
//! selection  := "*" | name { "," name }
//! function   := min | max | avg | median | sum | count | stddev | flatten
//! ```
//!
//! `team[...]` is read as `teams[...]`, as the docs use both. One team
//! (`teams[red].players`) gives a list of players; several, or `*`, give a
//! list per team. A function of a list of lists applies to each inner
//! list, but `flatten`, which joins them.

use std::fmt;

use crate::model::echo::Cut;

/// The functions of the language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Function {
    Min,
    Max,
    Avg,
    Median,
    Sum,
    Count,
    Stddev,
    Flatten,
}

impl Function {
    fn of(name: &str) -> Option<Function> {
        Some(match name {
            "min" => Function::Min,
            "max" => Function::Max,
            "avg" => Function::Avg,
            "median" => Function::Median,
            "sum" => Function::Sum,
            "count" => Function::Count,
            "stddev" => Function::Stddev,
            "flatten" => Function::Flatten,
            _ => return None,
        })
    }
}

/// Which teams a path reads.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Teams {
    All,
    Named(Vec<String>),
}

/// What a path reads of its teams' players.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Read {
    Players,
    Attribute(String),
}

/// Each named team's players' values for a read (or one `Val::Player`
/// each): every team's when no team is named.
pub(crate) type TeamReader<'r> = dyn Fn(Option<&str>, &Read) -> Vec<Vec<Val>> + 'r;

/// A parsed property expression.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Expr {
    Number(f64),
    Path(Teams, Read),
    Call(Function, Box<Expr>),
}

/// A value an expression has in a proposed match.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Val {
    Number(f64),
    Text(String),
    /// A player, as `count` sees one.
    Player,
    List(Vec<Val>),
}

/// Why an expression does not parse.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ExpressionError(pub(crate) String);

impl fmt::Display for ExpressionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// How deep functions may nest: far more than any rule needs, and a bound
/// on the parser's recursion.
const MAX_DEPTH: usize = 16;

impl Expr {
    /// Parses `text`.
    pub(crate) fn parse(text: &str) -> Result<Expr, ExpressionError> {
        let mut p = Parser { text, at: 0 };
        let e = p.expr(0)?;
        p.blank();
        if p.at < text.len() {
            return Err(p.fail("nothing more"));
        }
        Ok(e)
    }

    /// Every attribute the expression reads.
    pub(crate) fn attributes<'e>(&'e self, out: &mut Vec<&'e str>) {
        match self {
            Expr::Number(_) | Expr::Path(_, Read::Players) => {}
            Expr::Path(_, Read::Attribute(a)) => out.push(a),
            Expr::Call(_, inner) => inner.attributes(out),
        }
    }

    /// Every team the expression names.
    pub(crate) fn teams<'e>(&'e self, out: &mut Vec<&'e str>) {
        match self {
            Expr::Number(_) | Expr::Path(Teams::All, _) => {}
            Expr::Path(Teams::Named(names), _) => out.extend(names.iter().map(String::as_str)),
            Expr::Call(_, inner) => inner.teams(out),
        }
    }

    /// Its value, with `team` giving each named team's players' values for
    /// `read` (or one `Val::Player` each): every team for `Teams::All`.
    pub(crate) fn eval(&self, team: &TeamReader<'_>) -> Val {
        match self {
            Expr::Number(n) => Val::Number(*n),
            Expr::Path(teams, read) => match teams {
                Teams::Named(names) if names.len() == 1 => {
                    Val::List(team(Some(&names[0]), read).into_iter().flatten().collect())
                }
                Teams::Named(names) => Val::List(
                    names
                        .iter()
                        .map(|n| Val::List(team(Some(n), read).into_iter().flatten().collect()))
                        .collect(),
                ),
                Teams::All => Val::List(team(None, read).into_iter().map(Val::List).collect()),
            },
            Expr::Call(f, inner) => apply(*f, inner.eval(team)),
        }
    }
}

fn numbers(items: &[Val]) -> Vec<f64> {
    items
        .iter()
        .filter_map(|v| match v {
            Val::Number(n) => Some(*n),
            _ => None,
        })
        .collect()
}

fn apply(f: Function, value: Val) -> Val {
    let Val::List(items) = value else {
        return match f {
            Function::Count => Val::Number(1.0),
            Function::Stddev => Val::Number(0.0),
            _ => value,
        };
    };
    if f == Function::Flatten {
        let mut flat = Vec::new();
        for item in items {
            match item {
                Val::List(inner) => flat.extend(inner),
                other => flat.push(other),
            }
        }
        return Val::List(flat);
    }
    if items.iter().any(|v| matches!(v, Val::List(_))) {
        return Val::List(items.into_iter().map(|v| apply(f, v)).collect());
    }
    if f == Function::Count {
        return Val::Number(items.len() as f64);
    }
    let mut ns = numbers(&items);
    if ns.is_empty() {
        // Nothing to aggregate: no value.
        return Val::List(Vec::new());
    }
    let n = ns.len() as f64;
    let sum: f64 = ns.iter().sum();
    Val::Number(match f {
        Function::Min => ns.iter().copied().fold(f64::INFINITY, f64::min),
        Function::Max => ns.iter().copied().fold(f64::NEG_INFINITY, f64::max),
        Function::Sum => sum,
        Function::Avg => sum / n,
        Function::Median => {
            ns.sort_by(f64::total_cmp);
            let mid = ns.len() / 2;
            if ns.len().is_multiple_of(2) {
                f64::midpoint(ns[mid - 1], ns[mid])
            } else {
                ns[mid]
            }
        }
        Function::Stddev => {
            let mean = sum / n;
            (ns.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / n).sqrt()
        }
        Function::Count | Function::Flatten => 0.0,
    })
}

/// Every value at the leaves of `value`, in order.
pub(crate) fn leaves(value: Val, out: &mut Vec<Val>) {
    match value {
        Val::List(items) => {
            for item in items {
                leaves(item, out);
            }
        }
        leaf => out.push(leaf),
    }
}

struct Parser<'t> {
    text: &'t str,
    at: usize,
}

impl Parser<'_> {
    fn rest(&self) -> &str {
        self.text.get(self.at..).unwrap_or_default()
    }

    fn blank(&mut self) {
        let rest = self.rest();
        self.at += rest.len() - rest.trim_start().len();
    }

    fn fail(&self, expected: &str) -> ExpressionError {
        let column = self.text.get(..self.at).map_or(0, |s| s.chars().count()) + 1;
        ExpressionError(format!(
            "expected {expected} at character {column} of '{}'",
            Cut(self.text)
        ))
    }

    fn eat(&mut self, token: &str) -> bool {
        self.blank();
        if self.rest().starts_with(token) {
            self.at += token.len();
            true
        } else {
            false
        }
    }

    fn expect(&mut self, token: &str) -> Result<(), ExpressionError> {
        if self.eat(token) {
            Ok(())
        } else {
            Err(self.fail(&format!("'{token}'")))
        }
    }

    /// A name inside brackets: everything up to `,` or `]`, trimmed.
    fn name(&mut self) -> Result<String, ExpressionError> {
        self.blank();
        let rest = self.rest();
        let end = rest.find([',', ']']).unwrap_or(rest.len());
        let name = rest[..end].trim().to_owned();
        if name.is_empty() {
            return Err(self.fail("a name"));
        }
        self.at += end;
        Ok(name)
    }

    fn word(&mut self) -> &'_ str {
        self.blank();
        let rest = self.rest();
        let end = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(rest.len());
        let start = self.at;
        self.at += end;
        self.text.get(start..self.at).unwrap_or_default()
    }

    fn expr(&mut self, depth: usize) -> Result<Expr, ExpressionError> {
        if depth > MAX_DEPTH {
            return Err(self.fail(&format!("at most {MAX_DEPTH} nested functions")));
        }
        self.blank();
        let rest = self.rest();
        if rest.starts_with(|c: char| c.is_ascii_digit() || c == '-' || c == '.') {
            let end = rest
                .find(|c: char| !(c.is_ascii_digit() || matches!(c, '-' | '+' | '.' | 'e' | 'E')))
                .unwrap_or(rest.len());
            let number = rest[..end]
                .parse::<f64>()
                .ok()
                .filter(|n| n.is_finite())
                .ok_or_else(|| self.fail("a number"))?;
            self.at += end;
            return Ok(Expr::Number(number));
        }
        let start = self.at;
        let word = self.word().to_owned();
        if word == "teams" || word == "team" {
            return self.path();
        }
        if word == "set_intersection" {
            self.at = start;
            return Err(ExpressionError(format!(
                "the function set_intersection is not supported by this emulator (in '{}')",
                Cut(self.text)
            )));
        }
        let Some(function) = Function::of(&word) else {
            self.at = start;
            return Err(self.fail(
                "a number, teams[...], or one of min, max, avg, median, sum, count, stddev, flatten",
            ));
        };
        self.expect("(")?;
        let inner = self.expr(depth + 1)?;
        self.expect(")")?;
        Ok(Expr::Call(function, Box::new(inner)))
    }

    fn path(&mut self) -> Result<Expr, ExpressionError> {
        self.expect("[")?;
        let teams = if self.eat("*") {
            Teams::All
        } else {
            let mut names = vec![self.name()?];
            while self.eat(",") {
                names.push(self.name()?);
            }
            Teams::Named(names)
        };
        self.expect("]")?;
        if !self.eat(".") {
            return Err(self.fail("'.players'"));
        }
        if self.word() != "players" {
            return Err(self.fail("'players'"));
        }
        if !self.eat(".") {
            return Ok(Expr::Path(teams, Read::Players));
        }
        if self.word() != "attributes" {
            return Err(self.fail("'attributes'"));
        }
        self.expect("[")?;
        let attribute = self.name()?;
        self.expect("]")?;
        Ok(Expr::Path(teams, Read::Attribute(attribute)))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn values(team: Option<&str>, read: &Read) -> Vec<Vec<Val>> {
        let first = vec![Val::Number(10.0), Val::Number(20.0)];
        let second = vec![Val::Number(40.0)];
        let pick = |v: Vec<Val>| match read {
            Read::Players => v.iter().map(|_| Val::Player).collect(),
            Read::Attribute(_) => v,
        };
        match team {
            Some("red") => vec![pick(first)],
            Some("blue") => vec![pick(second)],
            Some(_) => vec![],
            None => vec![pick(first), pick(second)],
        }
    }

    fn eval(text: &str) -> Val {
        Expr::parse(text).expect("parses").eval(&values)
    }

    #[test]
    fn paths_and_functions_read_as_the_docs_say() {
        assert_eq!(
            eval("teams[red].players.attributes[skill]"),
            Val::List(vec![Val::Number(10.0), Val::Number(20.0)])
        );
        assert_eq!(eval("count(teams[red].players)"), Val::Number(2.0));
        assert_eq!(
            eval("avg(teams[*].players.attributes[skill])"),
            Val::List(vec![Val::Number(15.0), Val::Number(40.0)])
        );
        assert_eq!(
            eval("avg(flatten(teams[*].players.attributes[skill]))"),
            Val::Number(70.0 / 3.0)
        );
        assert_eq!(
            eval("max(avg(team[red, blue].players.attributes[skill]))"),
            Val::Number(40.0)
        );
        assert_eq!(
            eval("median(teams[red].players.attributes[skill])"),
            Val::Number(15.0)
        );
        assert_eq!(eval(" 12.5 "), Val::Number(12.5));
    }

    #[test]
    fn errors_name_the_place_and_what_was_expected() {
        assert_eq!(
            Expr::parse("avg(teams[red].players").unwrap_err().0,
            "expected ')' at character 23 of 'avg(teams[red].players'"
        );
        assert_eq!(
            Expr::parse("teams[].players").unwrap_err().0,
            "expected a name at character 7 of 'teams[].players'"
        );
        assert_eq!(
            Expr::parse("set_intersection(teams[*].players.attributes[modes])")
                .unwrap_err()
                .0,
            "the function set_intersection is not supported by this emulator \
             (in 'set_intersection(teams[*].players.attributes[modes])')"
        );
        let deep = format!("{}1{}", "avg(".repeat(40), ")".repeat(40));
        assert!(
            Expr::parse(&deep)
                .unwrap_err()
                .0
                .starts_with("expected at most 16 nested")
        );
    }
}
