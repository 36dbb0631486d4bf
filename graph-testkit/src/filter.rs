//! OData `$filter` as Intune documents it for its collections: the comparisons `eq ne gt ge
//! lt le`, `and`, `or`, `not` and parentheses, `startswith`, `endswith` and `contains`, and
//! `in`. Literals are read by the property's type from the metadata: strings with `''`
//! escapes, GUIDs, date-times, enum members, numbers, booleans and `null`. Anything else (an
//! unknown property, an unsupported function, a literal of the wrong type) is Graph's 400 —
//! an answer is never silently wrong.

use std::cmp::Ordering;

use graphwire_core::DateTimeOffset;
use graphwire_core::meta::{Edm, EntityMeta, PropertyMeta};
use serde_json::Value;

/// A parsed `$filter`, checked against the collection's type.
#[derive(Debug, Clone, PartialEq)]
pub enum Filter {
    /// `property op literal`.
    Compare {
        property: String,
        op: CompareOp,
        literal: Literal,
    },
    /// `property in (literal, …)`.
    In {
        property: String,
        literals: Vec<Literal>,
    },
    /// `startswith(property, 'text')`, `endswith(…)`, `contains(…)`.
    Text {
        function: TextFunction,
        property: String,
        text: String,
    },
    And(Box<Filter>, Box<Filter>),
    Or(Box<Filter>, Box<Filter>),
    Not(Box<Filter>),
}

/// A comparison operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CompareOp {
    Eq,
    Ne,
    Gt,
    Ge,
    Lt,
    Le,
}

/// A string function.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextFunction {
    StartsWith,
    EndsWith,
    Contains,
}

/// A literal, read by the type of the property it is compared with.
#[derive(Debug, Clone, PartialEq)]
pub enum Literal {
    Null,
    Bool(bool),
    Number(f64),
    /// Strings and enum members.
    Text(String),
    /// Lower case.
    Guid(String),
    DateTime(time::OffsetDateTime),
}

impl Filter {
    /// Parses `text` for items of `meta` (or of any type derived from it).
    pub fn parse(text: &str, meta: &'static EntityMeta) -> Result<Self, String> {
        let tokens = tokenize(text)?;
        let mut parser = Parser {
            tokens,
            at: 0,
            meta,
        };
        let filter = parser.or()?;
        match parser.peek() {
            None => Ok(filter),
            Some(token) => Err(format!(
                "Invalid filter clause: syntax error at '{}' in `{text}`.",
                token.text()
            )),
        }
    }

    /// Whether a stored item passes.
    pub fn matches(&self, item: &Value) -> bool {
        match self {
            Self::Compare {
                property,
                op,
                literal,
            } => compare(item.get(property), *op, literal),
            Self::In { property, literals } => literals
                .iter()
                .any(|literal| compare(item.get(property), CompareOp::Eq, literal)),
            Self::Text {
                function,
                property,
                text,
            } => match item.get(property).and_then(Value::as_str) {
                Some(value) => match function {
                    TextFunction::StartsWith => value.starts_with(text.as_str()),
                    TextFunction::EndsWith => value.ends_with(text.as_str()),
                    TextFunction::Contains => value.contains(text.as_str()),
                },
                None => false,
            },
            Self::And(a, b) => a.matches(item) && b.matches(item),
            Self::Or(a, b) => a.matches(item) || b.matches(item),
            Self::Not(inner) => !inner.matches(item),
        }
    }
}

/// `stored op literal`, as OData compares: `null` equals only `null`, `ne` is "not `eq`", and
/// no ordering holds with `null` on either side.
fn compare(stored: Option<&Value>, op: CompareOp, literal: &Literal) -> bool {
    if op == CompareOp::Ne {
        return !compare(stored, CompareOp::Eq, literal);
    }
    let stored = stored.unwrap_or(&Value::Null);
    let ordering = match (stored, literal) {
        (Value::Null, Literal::Null) => Some(Ordering::Equal),
        (Value::Null, _) | (_, Literal::Null) => None,
        (Value::Bool(a), Literal::Bool(b)) => Some(a.cmp(b)),
        (Value::Number(a), Literal::Number(b)) => a.as_f64().and_then(|a| a.partial_cmp(b)),
        // Int64 may be stored as a string of digits.
        (Value::String(a), Literal::Number(b)) => {
            a.parse::<f64>().ok().and_then(|a| a.partial_cmp(b))
        }
        (Value::String(a), Literal::Text(b)) => Some(a.as_str().cmp(b.as_str())),
        (Value::String(a), Literal::Guid(b)) => Some(a.to_ascii_lowercase().cmp(b)),
        (Value::String(a), Literal::DateTime(b)) => a
            .parse::<DateTimeOffset>()
            .ok()
            .map(|a| a.as_offset_date_time().cmp(b)),
        _ => None,
    };
    match (op, ordering) {
        (_, None) => false,
        (CompareOp::Eq | CompareOp::Ne, Some(o)) => o == Ordering::Equal,
        (CompareOp::Gt, Some(o)) => o == Ordering::Greater,
        (CompareOp::Ge, Some(o)) => o != Ordering::Less,
        (CompareOp::Lt, Some(o)) => o == Ordering::Less,
        (CompareOp::Le, Some(o)) => o != Ordering::Greater,
    }
}

/// A lexical token of a `$filter`.
#[derive(Debug, Clone, PartialEq)]
enum Token {
    Open,
    Close,
    Comma,
    /// A quoted string, its `''` unescaped.
    Quoted(String),
    /// A word: a name, a keyword, or an unquoted literal (number, GUID, date-time, `true`).
    Word(String),
}

impl Token {
    fn text(&self) -> String {
        match self {
            Self::Open => "(".into(),
            Self::Close => ")".into(),
            Self::Comma => ",".into(),
            Self::Quoted(text) => format!("'{}'", text.replace('\'', "''")),
            Self::Word(word) => word.clone(),
        }
    }
}

fn tokenize(text: &str) -> Result<Vec<Token>, String> {
    let mut tokens = Vec::new();
    let mut chars = text.char_indices().peekable();
    while let Some((start, c)) = chars.next() {
        match c {
            c if c.is_whitespace() => {}
            '(' => tokens.push(Token::Open),
            ')' => tokens.push(Token::Close),
            ',' => tokens.push(Token::Comma),
            '\'' => {
                let mut value = String::new();
                loop {
                    match chars.next() {
                        Some((_, '\'')) if chars.peek().is_some_and(|(_, c)| *c == '\'') => {
                            chars.next();
                            value.push('\'');
                        }
                        Some((_, '\'')) => break,
                        Some((_, c)) => value.push(c),
                        None => {
                            return Err(format!(
                                "Invalid filter clause: the string literal starting at position {start} is not closed in `{text}`."
                            ));
                        }
                    }
                }
                tokens.push(Token::Quoted(value));
            }
            c if is_word_char(c) => {
                let mut end = start + c.len_utf8();
                while let Some((i, c)) = chars.peek().copied() {
                    if !is_word_char(c) {
                        break;
                    }
                    end = i + c.len_utf8();
                    chars.next();
                }
                tokens.push(Token::Word(text[start..end].to_owned()));
            }
            other => {
                return Err(format!(
                    "Invalid filter clause: unexpected character '{other}' in `{text}`."
                ));
            }
        }
    }
    Ok(tokens)
}

/// Names, numbers, GUIDs and date-times (`2026-07-17T16:08:48.5+02:00`).
fn is_word_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-' | ':' | '+' | '/' | '$')
}

struct Parser {
    tokens: Vec<Token>,
    at: usize,
    meta: &'static EntityMeta,
}

impl Parser {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.at)
    }

    fn next(&mut self) -> Option<Token> {
        let token = self.tokens.get(self.at).cloned();
        self.at += 1;
        token
    }

    fn keyword(&self, word: &str) -> bool {
        matches!(self.peek(), Some(Token::Word(w)) if w == word)
    }

    fn expect(&mut self, expected: &Token) -> Result<(), String> {
        match self.next() {
            Some(token) if &token == expected => Ok(()),
            Some(token) => Err(format!(
                "Invalid filter clause: expected '{}', found '{}'.",
                expected.text(),
                token.text()
            )),
            None => Err(format!(
                "Invalid filter clause: expected '{}' at the end.",
                expected.text()
            )),
        }
    }

    fn or(&mut self) -> Result<Filter, String> {
        let mut left = self.and()?;
        while self.keyword("or") {
            self.at += 1;
            left = Filter::Or(Box::new(left), Box::new(self.and()?));
        }
        Ok(left)
    }

    fn and(&mut self) -> Result<Filter, String> {
        let mut left = self.unary()?;
        while self.keyword("and") {
            self.at += 1;
            left = Filter::And(Box::new(left), Box::new(self.unary()?));
        }
        Ok(left)
    }

    fn unary(&mut self) -> Result<Filter, String> {
        if self.keyword("not") {
            self.at += 1;
            return Ok(Filter::Not(Box::new(self.unary()?)));
        }
        if self.peek() == Some(&Token::Open) {
            self.at += 1;
            let inner = self.or()?;
            self.expect(&Token::Close)?;
            return Ok(inner);
        }
        self.predicate()
    }

    fn predicate(&mut self) -> Result<Filter, String> {
        let name = match self.next() {
            Some(Token::Word(word)) => word,
            Some(token) => {
                return Err(format!(
                    "Invalid filter clause: expected a property or a function, found '{}'.",
                    token.text()
                ));
            }
            None => return Err("Invalid filter clause: the expression is empty.".into()),
        };
        if self.peek() == Some(&Token::Open) {
            return self.function(&name);
        }
        let property = self.property(&name)?;
        let op = match self.next() {
            Some(Token::Word(word)) => word,
            _ => {
                return Err(format!(
                    "Invalid filter clause: expected an operator after '{name}'."
                ));
            }
        };
        if op == "in" {
            self.expect(&Token::Open)?;
            let mut literals = vec![self.literal(property)?];
            while self.peek() == Some(&Token::Comma) {
                self.at += 1;
                literals.push(self.literal(property)?);
            }
            self.expect(&Token::Close)?;
            return Ok(Filter::In {
                property: name,
                literals,
            });
        }
        let op = match op.as_str() {
            "eq" => CompareOp::Eq,
            "ne" => CompareOp::Ne,
            "gt" => CompareOp::Gt,
            "ge" => CompareOp::Ge,
            "lt" => CompareOp::Lt,
            "le" => CompareOp::Le,
            other => {
                return Err(format!(
                    "Invalid filter clause: '{other}' is not a supported operator (eq, ne, gt, ge, lt, le, in)."
                ));
            }
        };
        let literal = self.literal(property)?;
        if !matches!(op, CompareOp::Eq | CompareOp::Ne)
            && matches!(literal, Literal::Null | Literal::Bool(_))
        {
            return Err(format!(
                "Invalid filter clause: '{name}' cannot be ordered against {literal:?}."
            ));
        }
        Ok(Filter::Compare {
            property: name,
            op,
            literal,
        })
    }

    fn function(&mut self, name: &str) -> Result<Filter, String> {
        let function = match name.to_ascii_lowercase().as_str() {
            "startswith" => TextFunction::StartsWith,
            "endswith" => TextFunction::EndsWith,
            "contains" => TextFunction::Contains,
            _ => {
                return Err(format!(
                    "Invalid filter clause: the function '{name}' is not supported (startswith, endswith, contains)."
                ));
            }
        };
        self.expect(&Token::Open)?;
        let property = match self.next() {
            Some(Token::Word(word)) => word,
            _ => {
                return Err(format!(
                    "Invalid filter clause: {name} needs a property first."
                ));
            }
        };
        let meta = self.property(&property)?;
        if !matches!(meta.kind, Edm::String) {
            return Err(format!(
                "Invalid filter clause: {name} takes a string property; '{property}' is {}.",
                edm_name(meta.kind)
            ));
        }
        self.expect(&Token::Comma)?;
        let text = match self.next() {
            Some(Token::Quoted(text)) => text,
            _ => {
                return Err(format!(
                    "Invalid filter clause: {name} needs a quoted string."
                ));
            }
        };
        self.expect(&Token::Close)?;
        Ok(Filter::Text {
            function,
            property,
            text,
        })
    }

    /// The property named `name` on the collection's type or a type derived from it.
    fn property(&self, name: &str) -> Result<&'static PropertyMeta, String> {
        find_property(self.meta, name).ok_or_else(|| {
            format!(
                "Could not find a property named '{name}' on type '{}'.",
                self.meta.odata_type.trim_start_matches('#')
            )
        })
    }

    /// A literal of the property's type.
    fn literal(&mut self, property: &PropertyMeta) -> Result<Literal, String> {
        let token = self
            .next()
            .ok_or_else(|| "Invalid filter clause: a literal is missing at the end.".to_owned())?;
        if token == Token::Word("null".into()) {
            return Ok(Literal::Null);
        }
        let mismatch = || {
            format!(
                "A binary operator with incompatible types was detected. Found operand types '{}' and the literal {} for property '{}'.",
                edm_name(property.kind),
                token.text(),
                property.json_name
            )
        };
        match (property.kind, &token) {
            (Edm::String, Token::Quoted(text)) => Ok(Literal::Text(text.clone())),
            (Edm::Enum(members), Token::Quoted(text)) => {
                if members.members.contains(&text.as_str()) {
                    Ok(Literal::Text(text.clone()))
                } else {
                    Err(format!(
                        "The string '{text}' is not a valid enumeration value for '{}' (members: {}).",
                        property.json_name,
                        members.members.join(", ")
                    ))
                }
            }
            (Edm::Boolean, Token::Word(word)) if word == "true" || word == "false" => {
                Ok(Literal::Bool(word == "true"))
            }
            (Edm::Int32 | Edm::Int64 | Edm::Double, Token::Word(word)) => word
                .parse::<f64>()
                .ok()
                .filter(|n| n.is_finite())
                .map(Literal::Number)
                .ok_or_else(mismatch),
            (Edm::Guid, Token::Word(word) | Token::Quoted(word)) => uuid::Uuid::parse_str(word)
                .map(|guid| Literal::Guid(guid.to_string()))
                .map_err(|_| mismatch()),
            (Edm::DateTimeOffset, Token::Word(word)) => word
                .parse::<DateTimeOffset>()
                .map(|at| Literal::DateTime(at.as_offset_date_time()))
                .map_err(|_| mismatch()),
            _ => Err(mismatch()),
        }
    }
}

/// A property of `meta` or of a type derived from it (a filter on a subtype's property is
/// served: items without it compare as `null`).
pub fn find_property(meta: &'static EntityMeta, name: &str) -> Option<&'static PropertyMeta> {
    meta.property(name).or_else(|| {
        EntityMeta::all()
            .filter(|derived| derived.derives_from(meta))
            .find_map(|derived| derived.property(name))
    })
}

fn edm_name(kind: Edm) -> &'static str {
    match kind {
        Edm::String => "Edm.String",
        Edm::Boolean => "Edm.Boolean",
        Edm::Int32 => "Edm.Int32",
        Edm::Int64 => "Edm.Int64",
        Edm::Double => "Edm.Double",
        Edm::Guid => "Edm.Guid",
        Edm::DateTimeOffset => "Edm.DateTimeOffset",
        Edm::Enum(_) => "an enumeration",
        Edm::Object(_) => "an object",
        Edm::Collection(_) => "a collection",
        Edm::Json => "untyped",
    }
}
