//! FlexMatch property expressions: what a rule measures in a proposed
//! match, and its reference value.
//!
//! ```text
//! expression := number | string
//!             | function "(" expression ")"
//!             | ("teams" | "team") "[" selection "]" ".players"
//!               [ ".attributes" "[" name "]" | "[playerId]" ]
//! selection  := "*" | name { "," name }
//! function   := min | max | avg | median | sum | count | stddev
//!             | flatten | set_intersection
//! ```
//!
//! One team (`teams[red].players`) gives a list of players; several, `*`,
//! or a team definition with a `quantity` above 1 give a list per team.
//! `players[playerId]` gives the players' ids. A function of a list of
//! lists applies to each inner list, but `flatten`, which joins them one
//! level, and `set_intersection`, which keeps the strings every inner list
//! holds. A string list attribute reads as one list per player.
//!
//! Evaluating counts its work: one unit per value it makes, so that a
//! rule over a large expression costs what it costs.

use std::fmt;
use std::sync::Arc;

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
    SetIntersection,
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
            "set_intersection" => Function::SetIntersection,
            _ => return None,
        })
    }
}

/// Which teams a path reads, by their place in the rule set's teams.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Teams {
    /// One team: a list of players.
    One(usize),
    /// Several: a list per team.
    Several(Vec<usize>),
    /// Every team: a list per team.
    All,
}

/// What a path reads of its teams' players.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Read {
    Players,
    PlayerId,
    /// An attribute, by its place in the declared attributes.
    Attribute(usize),
}

/// A parsed property expression.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Expr {
    Number(f64),
    Text(Arc<str>),
    /// A literal list of strings (a collection rule's `referenceValue`).
    Strings(Vec<Arc<str>>),
    Path(Teams, Read),
    Call(Function, Box<Expr>),
}

/// A value an expression has in a proposed match.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Val {
    Number(f64),
    Text(Arc<str>),
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
pub(crate) const MAX_DEPTH: usize = 16;

/// What an expression reads of a proposed match: each team's players'
/// values for a read, one list per team asked for.
pub(crate) trait Source {
    /// The values of `read` for the players of team `team`, appended to
    /// `out`.
    fn team(&self, team: usize, read: &Read, out: &mut Vec<Val>);
    /// How many teams there are.
    fn teams(&self) -> usize;
}

/// Resolves a team name to the teams it names (a definition with a
/// quantity names each of its teams), or `None`.
pub(crate) type Resolve<'r> = dyn Fn(&str) -> Option<Vec<usize>> + 'r;

/// Resolves an attribute name to its place, or `None`.
pub(crate) type ResolveAttribute<'r> = dyn Fn(&str) -> Option<usize> + 'r;

impl Expr {
    /// Parses `text`, naming teams and attributes through `team` and
    /// `attribute`.
    pub(crate) fn parse(
        text: &str,
        team: &Resolve<'_>,
        attribute: &ResolveAttribute<'_>,
    ) -> Result<Expr, ExpressionError> {
        let mut p = Parser {
            text,
            at: 0,
            team,
            attribute,
        };
        let e = p.expr(0)?;
        p.blank();
        if p.at < text.len() {
            return Err(p.fail("nothing more"));
        }
        Ok(e)
    }

    /// Every attribute the expression reads.
    pub(crate) fn attributes(&self, out: &mut Vec<usize>) {
        match self {
            Expr::Path(_, Read::Attribute(a)) => out.push(*a),
            Expr::Call(_, inner) => inner.attributes(out),
            _ => {}
        }
    }

    /// Whether it reads players' ids.
    pub(crate) fn reads_ids(&self) -> bool {
        match self {
            Expr::Path(_, Read::PlayerId) => true,
            Expr::Call(_, inner) => inner.reads_ids(),
            _ => false,
        }
    }

    /// Whether it reads every team alike (`teams[*]` only): its values do
    /// not change when players change teams, once flattened to leaves.
    pub(crate) fn reads_all_teams(&self) -> bool {
        match self {
            Expr::Path(Teams::All, _) | Expr::Number(_) | Expr::Text(_) | Expr::Strings(_) => true,
            Expr::Path(..) => false,
            Expr::Call(_, inner) => inner.reads_all_teams(),
        }
    }

    /// Whether it gives one value per player (a path, or `flatten` of
    /// one): a rule testing each such value on its own holds for every
    /// part of a match it holds for.
    pub(crate) fn is_per_player(&self) -> bool {
        match self {
            Expr::Path(_, Read::Attribute(_) | Read::PlayerId) => true,
            Expr::Call(Function::Flatten, inner) => inner.is_per_player(),
            _ => false,
        }
    }

    /// Its value in the match `source` reads; `cost` grows by the values
    /// made.
    pub(crate) fn eval(&self, source: &dyn Source, cost: &mut u64) -> Val {
        *cost += 1;
        match self {
            Expr::Number(n) => Val::Number(*n),
            Expr::Text(t) => Val::Text(Arc::clone(t)),
            Expr::Strings(items) => {
                *cost += items.len() as u64;
                Val::List(items.iter().map(|t| Val::Text(Arc::clone(t))).collect())
            }
            Expr::Path(teams, read) => {
                let mut one = |t: usize| {
                    let mut out = Vec::new();
                    source.team(t, read, &mut out);
                    *cost += out.len() as u64;
                    Val::List(out)
                };
                match teams {
                    Teams::One(t) => one(*t),
                    Teams::Several(ts) => Val::List(ts.iter().map(|&t| one(t)).collect()),
                    Teams::All => Val::List((0..source.teams()).map(one).collect()),
                }
            }
            Expr::Call(f, inner) => {
                let v = inner.eval(source, cost);
                apply(*f, v, cost)
            }
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

/// Whether every item is a list of values that are not lists: a list of
/// collections, as `set_intersection` takes.
fn is_list_of_collections(items: &[Val]) -> bool {
    items.iter().all(|v| match v {
        Val::List(inner) => inner.iter().all(|x| !matches!(x, Val::List(_))),
        _ => false,
    })
}

fn apply(f: Function, value: Val, cost: &mut u64) -> Val {
    let Val::List(items) = value else {
        return match f {
            Function::Count => Val::Number(1.0),
            Function::Stddev => Val::Number(0.0),
            _ => value,
        };
    };
    *cost += items.len() as u64;
    match f {
        Function::Flatten => {
            let mut flat = Vec::new();
            for item in items {
                match item {
                    Val::List(inner) => flat.extend(inner),
                    other => flat.push(other),
                }
            }
            return Val::List(flat);
        }
        Function::SetIntersection if !items.is_empty() && is_list_of_collections(&items) => {
            let mut lists = items.into_iter().map(|v| match v {
                Val::List(inner) => inner,
                other => vec![other],
            });
            let mut common: Vec<Val> = lists.next().unwrap_or_default();
            common.dedup();
            for list in lists {
                *cost += (common.len() * list.len()) as u64;
                common.retain(|v| list.contains(v));
            }
            return Val::List(common);
        }
        Function::SetIntersection if items.iter().all(|v| !matches!(v, Val::List(_))) => {
            // One collection: its own values.
            let mut own = items;
            own.dedup();
            return Val::List(own);
        }
        _ => {}
    }
    if items.iter().any(|v| matches!(v, Val::List(_))) {
        return Val::List(items.into_iter().map(|v| apply(f, v, cost)).collect());
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
        Function::Count | Function::Flatten | Function::SetIntersection => 0.0,
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

/// The collections in `value`: every list of values that are not lists
/// (a player's string list, or a list of strings), and each value on its
/// own as a collection of one.
pub(crate) fn collections(value: Val, out: &mut Vec<Vec<Val>>) {
    match value {
        Val::List(items) if items.iter().all(|v| !matches!(v, Val::List(_))) => out.push(items),
        Val::List(items) => {
            for item in items {
                collections(item, out);
            }
        }
        leaf => out.push(vec![leaf]),
    }
}

struct Parser<'t, 'r> {
    text: &'t str,
    at: usize,
    team: &'r Resolve<'r>,
    attribute: &'r ResolveAttribute<'r>,
}

impl Parser<'_, '_> {
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
        if let Some(quote) = rest.chars().next().filter(|c| *c == '\'' || *c == '"') {
            let body = &rest[1..];
            let Some(end) = body.find(quote) else {
                return Err(self.fail("a closing quote"));
            };
            let text: Arc<str> = Arc::from(&body[..end]);
            self.at += end + 2;
            return Ok(Expr::Text(text));
        }
        let start = self.at;
        let word = self.word().to_owned();
        if word == "teams" || word == "team" {
            return self.path();
        }
        let Some(function) = Function::of(&word) else {
            self.at = start;
            return Err(self.fail(
                "a number, teams[...], or one of min, max, avg, median, sum, count, stddev, \
                 flatten, set_intersection",
            ));
        };
        self.expect("(")?;
        let inner = self.expr(depth + 1)?;
        self.expect(")")?;
        Ok(Expr::Call(function, Box::new(inner)))
    }

    fn team_names(&mut self) -> Result<Teams, ExpressionError> {
        if self.eat("*") {
            return Ok(Teams::All);
        }
        let mut names = vec![self.name()?];
        while self.eat(",") {
            names.push(self.name()?);
        }
        let mut teams = Vec::new();
        for name in &names {
            let Some(found) = (self.team)(name) else {
                return Err(ExpressionError(format!(
                    "'{}' names the team {}, which teams does not declare",
                    Cut(self.text),
                    Cut(name)
                )));
            };
            teams.extend(found);
        }
        Ok(match teams.as_slice() {
            [one] if names.len() == 1 => Teams::One(*one),
            _ => Teams::Several(teams),
        })
    }

    fn path(&mut self) -> Result<Expr, ExpressionError> {
        self.expect("[")?;
        let teams = self.team_names()?;
        self.expect("]")?;
        if !self.eat(".") {
            return Err(self.fail("'.players'"));
        }
        if self.word() != "players" {
            return Err(self.fail("'players'"));
        }
        if self.eat("[") {
            if self.name()? != "playerId" {
                return Err(self.fail("'playerId'"));
            }
            self.expect("]")?;
            return Ok(Expr::Path(teams, Read::PlayerId));
        }
        if !self.eat(".") {
            return Ok(Expr::Path(teams, Read::Players));
        }
        if self.word() != "attributes" {
            return Err(self.fail("'attributes'"));
        }
        self.expect("[")?;
        let name = self.name()?;
        self.expect("]")?;
        let Some(attribute) = (self.attribute)(&name) else {
            return Err(ExpressionError(format!(
                "'{}' reads the attribute {}, which playerAttributes does not declare",
                Cut(self.text),
                Cut(&name)
            )));
        };
        Ok(Expr::Path(teams, Read::Attribute(attribute)))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    /// Two teams: red (0) with skills 10 and 20, blue (1) with 40; the
    /// attribute 1 is a string list.
    struct Fixture;

    impl Source for Fixture {
        fn team(&self, team: usize, read: &Read, out: &mut Vec<Val>) {
            let skills: &[f64] = if team == 0 { &[10.0, 20.0] } else { &[40.0] };
            for (i, s) in skills.iter().enumerate() {
                out.push(match read {
                    Read::Players => Val::Player,
                    Read::PlayerId => Val::Text(format!("p{team}{i}").into()),
                    Read::Attribute(0) => Val::Number(*s),
                    Read::Attribute(_) => Val::List(vec![
                        Val::Text("coop".into()),
                        Val::Text(if team == 0 { "ctf" } else { "dm" }.into()),
                    ]),
                });
            }
        }

        fn teams(&self) -> usize {
            2
        }
    }

    fn team(name: &str) -> Option<Vec<usize>> {
        match name {
            "red" => Some(vec![0]),
            "blue" => Some(vec![1]),
            _ => None,
        }
    }

    fn attribute(name: &str) -> Option<usize> {
        match name {
            "skill" => Some(0),
            "modes" => Some(1),
            _ => None,
        }
    }

    fn parse(text: &str) -> Result<Expr, ExpressionError> {
        Expr::parse(text, &team, &attribute)
    }

    fn eval(text: &str) -> Val {
        let mut cost = 0;
        parse(text).expect("parses").eval(&Fixture, &mut cost)
    }

    fn texts(items: &[&str]) -> Val {
        Val::List(items.iter().map(|s| Val::Text((*s).into())).collect())
    }

    #[test]
    fn paths_and_functions_read_as_the_guide_says() {
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
        assert_eq!(eval("'medic'"), Val::Text("medic".into()));
        assert_eq!(eval("teams[blue].players[playerId]"), texts(&["p10"]));
        assert_eq!(
            eval("flatten(teams[*].players[playerId])"),
            texts(&["p00", "p01", "p10"])
        );
    }

    #[test]
    fn set_intersection_keeps_what_every_collection_holds() {
        assert_eq!(
            eval("set_intersection(flatten(teams[*].players.attributes[modes]))"),
            texts(&["coop"])
        );
        assert_eq!(
            eval("set_intersection(teams[red].players.attributes[modes])"),
            texts(&["coop", "ctf"])
        );
    }

    #[test]
    fn evaluating_counts_the_values_it_makes() {
        let mut small = 0;
        parse("teams[blue].players.attributes[skill]")
            .unwrap()
            .eval(&Fixture, &mut small);
        let mut large = 0;
        parse("avg(flatten(teams[*].players.attributes[skill]))")
            .unwrap()
            .eval(&Fixture, &mut large);
        assert!(small >= 2 && large > small, "{small} {large}");
    }

    #[test]
    fn errors_name_the_place_and_what_was_expected() {
        assert_eq!(
            parse("avg(teams[red].players").unwrap_err().0,
            "expected ')' at character 23 of 'avg(teams[red].players'"
        );
        assert_eq!(
            parse("teams[].players").unwrap_err().0,
            "expected a name at character 7 of 'teams[].players'"
        );
        assert_eq!(
            parse("teams[green].players").unwrap_err().0,
            "'teams[green].players' names the team green, which teams does not declare"
        );
        assert_eq!(
            parse("teams[red].players.attributes[rank]").unwrap_err().0,
            "'teams[red].players.attributes[rank]' reads the attribute rank, \
             which playerAttributes does not declare"
        );
        let deep = format!("{}1{}", "avg(".repeat(40), ")".repeat(40));
        assert!(
            parse(&deep)
                .unwrap_err()
                .0
                .starts_with("expected at most 16 nested")
        );
    }
}
