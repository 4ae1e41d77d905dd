//! A brand's optional boolean refinement, e.g. `"nordlys" AND (app OR tariff)`.
//!
//! Syntax: bare words and "quoted phrases"; `AND`, `OR`, `NOT` in capitals
//! (lowercase "and" is an ordinary word, as people type it in phrases);
//! two terms side by side mean AND; parentheses group. Precedence: NOT, then
//! AND, then OR. Terms are matched like aliases (same normalisation, word
//! boundaries, Russian and English/Danish endings), anywhere in title or text.

use super::keys::Pattern;

/// Nesting deeper than this is refused: a config line has no need for it,
/// and a recursive parser must not overflow its stack on hostile input.
const MAX_DEPTH: usize = 64;

/// A parsed query; terms are numbered in order of appearance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Query {
    pub expr: Expr,
    /// Term texts as written (without quotes).
    pub terms: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Expr {
    Term(usize),
    Not(Box<Expr>),
    And(Vec<Expr>),
    Or(Vec<Expr>),
}

impl Expr {
    /// Evaluates with `present(term)` telling whether a term occurs.
    pub fn eval(&self, present: &dyn Fn(usize) -> bool) -> bool {
        match self {
            Expr::Term(t) => present(*t),
            Expr::Not(e) => !e.eval(present),
            Expr::And(es) => es.iter().all(|e| e.eval(present)),
            Expr::Or(es) => es.iter().any(|e| e.eval(present)),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Tok {
    Open,
    Close,
    And,
    Or,
    Not,
    Term(String),
}

/// A token and its 1-based character position in the query.
type Spanned = (Tok, usize);

/// Parses a query; the error says what is wrong and at which character.
pub(crate) fn parse(query: &str) -> Result<Query, String> {
    let tokens = lex(query)?;
    if tokens.is_empty() {
        return Err("query is empty".into());
    }
    let mut p = Parser {
        tokens,
        pos: 0,
        terms: Vec::new(),
        depth: 0,
    };
    let expr = p.or()?;
    if let Some((_, at)) = p.tokens.get(p.pos) {
        return Err(format!("unmatched `)` at character {at}"));
    }
    Ok(Query {
        expr,
        terms: p.terms,
    })
}

fn lex(query: &str) -> Result<Vec<Spanned>, String> {
    let chars: Vec<char> = query.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let at = i + 1;
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        match c {
            '(' => {
                out.push((Tok::Open, at));
                i += 1;
            }
            ')' => {
                out.push((Tok::Close, at));
                i += 1;
            }
            '"' => {
                let Some(len) = chars[i + 1..].iter().position(|&q| q == '"') else {
                    return Err(format!("unclosed quote opened at character {at}"));
                };
                let phrase: String = chars[i + 1..i + 1 + len].iter().collect();
                out.push((term(phrase, at)?, at));
                i += len + 2;
            }
            _ => {
                let start = i;
                while i < chars.len() && !chars[i].is_whitespace() && !"()\"".contains(chars[i]) {
                    i += 1;
                }
                let word: String = chars[start..i].iter().collect();
                let tok = match word.as_str() {
                    "AND" => Tok::And,
                    "OR" => Tok::Or,
                    "NOT" => Tok::Not,
                    _ => term(word, at)?,
                };
                out.push((tok, at));
            }
        }
    }
    Ok(out)
}

fn term(text: String, at: usize) -> Result<Tok, String> {
    if text.trim().is_empty() {
        return Err(format!("empty phrase at character {at}"));
    }
    if Pattern::compile(&text).is_empty() {
        return Err(format!(
            "term `{text}` at character {at} has no letters or digits to match"
        ));
    }
    Ok(Tok::Term(text))
}

struct Parser {
    tokens: Vec<Spanned>,
    pos: usize,
    terms: Vec<String>,
    depth: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Tok> {
        self.tokens.get(self.pos).map(|(t, _)| t)
    }

    fn at(&self) -> usize {
        self.tokens.get(self.pos).map_or(0, |(_, at)| *at)
    }

    /// Consumes a binary operator and checks something follows it.
    fn operator(&mut self, name: &str) -> Result<(), String> {
        let at = self.at();
        self.pos += 1;
        match self.peek() {
            Some(Tok::Term(_) | Tok::Open | Tok::Not) => Ok(()),
            _ => Err(format!("{name} at character {at} has nothing on its right")),
        }
    }

    fn or(&mut self) -> Result<Expr, String> {
        let mut items = vec![self.and()?];
        while self.peek() == Some(&Tok::Or) {
            self.operator("OR")?;
            items.push(self.and()?);
        }
        Ok(if items.len() == 1 {
            items.remove(0)
        } else {
            Expr::Or(items)
        })
    }

    fn and(&mut self) -> Result<Expr, String> {
        let mut items = vec![self.unary()?];
        loop {
            match self.peek() {
                Some(Tok::And) => self.operator("AND")?,
                Some(Tok::Term(_) | Tok::Open | Tok::Not) => {}
                _ => break,
            }
            items.push(self.unary()?);
        }
        Ok(if items.len() == 1 {
            items.remove(0)
        } else {
            Expr::And(items)
        })
    }

    fn unary(&mut self) -> Result<Expr, String> {
        if self.peek() == Some(&Tok::Not) {
            self.operator("NOT")?;
            self.enter()?;
            let inner = self.unary();
            self.depth -= 1;
            return Ok(Expr::Not(Box::new(inner?)));
        }
        self.primary()
    }

    fn enter(&mut self) -> Result<(), String> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(format!(
                "query nests deeper than {MAX_DEPTH} levels at character {}",
                self.at()
            ));
        }
        Ok(())
    }

    fn primary(&mut self) -> Result<Expr, String> {
        let at = self.at();
        let Some((tok, _)) = self.tokens.get(self.pos).cloned() else {
            return Err("query ends where a term was expected".into());
        };
        match tok {
            Tok::Term(text) => {
                self.pos += 1;
                self.terms.push(text);
                Ok(Expr::Term(self.terms.len() - 1))
            }
            Tok::Open => {
                self.pos += 1;
                if self.peek() == Some(&Tok::Close) {
                    return Err(format!("empty parentheses at character {at}"));
                }
                if self.peek().is_none() {
                    return Err(format!("`(` at character {at} is never closed"));
                }
                self.enter()?;
                let inner = self.or();
                self.depth -= 1;
                let inner = inner?;
                if self.peek() != Some(&Tok::Close) {
                    return Err(format!("`(` at character {at} is never closed"));
                }
                self.pos += 1;
                Ok(inner)
            }
            Tok::Close => Err(format!("unmatched `)` at character {at}")),
            Tok::And => Err(format!("AND at character {at} has nothing on its left")),
            Tok::Or => Err(format!("OR at character {at} has nothing on its left")),
            Tok::Not => Err(format!("NOT at character {at} has nothing on its right")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_precedence_and_adjacency() {
        let q = parse(r#""nordlys" AND (app OR tariff) NOT hotel"#).unwrap();
        assert_eq!(q.terms, ["nordlys", "app", "tariff", "hotel"]);
        assert_eq!(
            q.expr,
            Expr::And(vec![
                Expr::Term(0),
                Expr::Or(vec![Expr::Term(1), Expr::Term(2)]),
                Expr::Not(Box::new(Expr::Term(3))),
            ])
        );
        // a OR b c == a OR (b AND c); lowercase operators are words.
        let q = parse("a OR b c").unwrap();
        assert_eq!(
            q.expr,
            Expr::Or(vec![
                Expr::Term(0),
                Expr::And(vec![Expr::Term(1), Expr::Term(2)])
            ])
        );
        assert_eq!(parse("x and y").unwrap().terms, ["x", "and", "y"]);
    }

    #[test]
    fn errors_name_the_position() {
        let cases = [
            ("", "query is empty"),
            ("(app OR tariff", "`(` at character 1 is never closed"),
            ("app)", "unmatched `)` at character 4"),
            ("\"nordlys AND app", "unclosed quote opened at character 1"),
            ("app AND", "AND at character 5 has nothing on its right"),
            ("OR app", "OR at character 1 has nothing on its left"),
            ("app OR OR x", "OR at character 5 has nothing on its right"),
            ("NOT", "NOT at character 1 has nothing on its right"),
            ("a ()", "empty parentheses at character 3"),
            ("a \"\"", "empty phrase at character 3"),
            (
                "a !!!",
                "term `!!!` at character 3 has no letters or digits to match",
            ),
        ];
        for (q, want) in cases {
            assert_eq!(parse(q).unwrap_err(), want, "query {q:?}");
        }
        let deep = format!("{}a{}", "(".repeat(500), ")".repeat(500));
        assert!(parse(&deep).unwrap_err().contains("deeper"));
        let nots = format!("{}a", "NOT ".repeat(500));
        assert!(parse(&nots).unwrap_err().contains("deeper"));
    }
}
