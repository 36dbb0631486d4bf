//! The path of the member at a position in a JSON text (`value[3].settings[0].id`): how a
//! decode error names the property it is about.
//!
//! The decoders run without tracking where they are. A path-tracking deserializer (such as
//! serde_path_to_error's) wraps every map and sequence it reads, which makes it a second type
//! that every entity's decoder is compiled for, in every crate that decodes one: half of the
//! decoding code of an app. serde_json's errors carry the line and column where decoding
//! stopped, so on the rare failure the text is read again up to there instead.

/// One open container, as the text read so far left it.
enum Frame {
    /// An object and the name of the member whose value is being read (`None` between members).
    Object { member: Option<String> },
    /// An array and the index of the element being read.
    Array { index: usize },
}

/// The path of the member `error` stopped in while decoding `json`; `None` at the top level or
/// when the error has no position.
pub(crate) fn path_of(json: &[u8], error: &serde_json::Error) -> Option<String> {
    offset_of(json, error.line(), error.column()).and_then(|offset| path_at(json, offset))
}

/// The byte offset of serde_json's 1-based `line` and 0-based byte `column` in `json`, or
/// `None` for an error without a position (line 0).
pub(crate) fn offset_of(json: &[u8], line: usize, column: usize) -> Option<usize> {
    if line == 0 {
        return None;
    }
    let start_of_line = if line == 1 {
        0
    } else {
        json.iter()
            .enumerate()
            .filter(|(_, byte)| **byte == b'\n')
            .nth(line - 2)
            .map_or(json.len(), |(at, _)| at + 1)
    };
    Some((start_of_line + column).min(json.len()))
}

/// The path of the member being read at byte `offset` of `json`, written as
/// serde_path_to_error writes one (`a.b[2].c`); `None` at the top level.
pub(crate) fn path_at(json: &[u8], offset: usize) -> Option<String> {
    let mut end = offset.min(json.len());
    // serde_json may consume the comma after the value that failed before it reports; that
    // comma opens the next member, not the one the error is about.
    while end > 0 && json[end - 1].is_ascii_whitespace() {
        end -= 1;
    }
    if end > 0 && json[end - 1] == b',' {
        end -= 1;
    }
    let mut stack: Vec<Frame> = Vec::new();
    let mut at = 0;
    while at < end {
        match json[at] {
            b'"' => {
                let close = string_end(json, at);
                if close >= end {
                    // Decoding stopped inside this string: a member name's error is its
                    // object's, a value's is its member's.
                    break;
                }
                if let Some(Frame::Object {
                    member: member @ None,
                }) = stack.last_mut()
                {
                    *member = Some(member_name(&json[at..=close]));
                }
                at = close;
            }
            b'{' => stack.push(Frame::Object { member: None }),
            b'[' => stack.push(Frame::Array { index: 0 }),
            b'}' | b']' => {
                stack.pop();
            }
            b',' => match stack.last_mut() {
                Some(Frame::Array { index }) => *index += 1,
                Some(Frame::Object { member }) => *member = None,
                None => {}
            },
            _ => {}
        }
        at += 1;
    }
    let mut path = String::new();
    for frame in &stack {
        match frame {
            Frame::Object { member: Some(name) } => {
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(name);
            }
            Frame::Object { member: None } => break,
            Frame::Array { index } => {
                path.push('[');
                path.push_str(&index.to_string());
                path.push(']');
            }
        }
    }
    (!path.is_empty()).then_some(path)
}

/// The index of the quote that closes the string opening at `open`, or `json.len()`.
fn string_end(json: &[u8], open: usize) -> usize {
    let mut at = open + 1;
    while at < json.len() {
        match json[at] {
            b'\\' => at += 2,
            b'"' => return at,
            _ => at += 1,
        }
    }
    json.len()
}

/// A member name from its quoted text, escapes resolved (`"a\u0062"` is `ab`).
fn member_name(quoted: &[u8]) -> String {
    serde_json::from_slice::<String>(quoted).unwrap_or_else(|_| {
        let inside = quoted
            .get(1..quoted.len().saturating_sub(1))
            .unwrap_or_default();
        String::from_utf8_lossy(inside).into_owned()
    })
}

#[cfg(test)]
mod tests {
    use super::{offset_of, path_at, path_of};

    /// The path where serde_json stopped on `json` while decoding it as `T`.
    fn path_of_error<T: serde::de::DeserializeOwned + std::fmt::Debug>(
        json: &str,
    ) -> Option<String> {
        let err = serde_json::from_str::<T>(json).unwrap_err();
        path_of(json.as_bytes(), &err)
    }

    #[derive(serde::Deserialize, Debug)]
    #[allow(dead_code)]
    struct Page {
        value: Vec<Item>,
    }

    #[derive(serde::Deserialize, Debug)]
    #[allow(dead_code)]
    struct Item {
        id: Option<String>,
        count: Option<i32>,
        inner: Option<Box<Item>>,
    }

    #[test]
    fn names_the_member_where_decoding_stopped() {
        assert_eq!(
            path_of_error::<Page>(r#"{"value":[{"id":"a"},{"id":"b","count":"x"}]}"#).as_deref(),
            Some("value[1].count")
        );
        assert_eq!(
            path_of_error::<Page>(r#"{"value":[{"inner":{"inner":{"count":3000000000}}}]}"#)
                .as_deref(),
            Some("value[0].inner.inner.count")
        );
        // Strings with the characters that open and close containers, and escaped quotes.
        assert_eq!(
            path_of_error::<Page>(r#"{"value":[{"id":"{[\"]}","count":true}]}"#).as_deref(),
            Some("value[0].count")
        );
        // A member name with an escape is the name it stands for.
        assert_eq!(
            path_of_error::<Item>(r#"{"co\u0075nt":"x"}"#).as_deref(),
            Some("count")
        );
        // Pretty-printed text: the line and column are turned back into the offset.
        assert_eq!(
            path_of_error::<Page>("{\n  \"value\": [\n    {\"id\": 5}\n  ]\n}").as_deref(),
            Some("value[0].id")
        );
    }

    #[test]
    fn the_top_level_has_no_path() {
        assert_eq!(path_of_error::<Page>(r#"{"other":1}"#), None);
        assert_eq!(path_of_error::<Page>("[]"), None);
        assert_eq!(path_at(b"", 0), None);
    }

    #[test]
    fn a_member_is_read_from_its_name_on() {
        assert_eq!(path_at(b"{\"a\":1,\"b\"", 11).as_deref(), Some("b"));
        // A comma just before the position is the failed value's end, not the next one's start.
        assert_eq!(path_at(b"[1, ", 4).as_deref(), Some("[0]"));
        assert_eq!(path_at(b"{\"a\":1,", 7).as_deref(), Some("a"));
    }

    #[test]
    fn truncated_text_names_the_member_it_stopped_in() {
        assert_eq!(path_of_error::<Item>(r#"{"id":"#).as_deref(), Some("id"));
        assert_eq!(path_of_error::<Item>(r#"{"id":"ab"#).as_deref(), Some("id"));
        // Stopped inside a member name: the error is the object's.
        assert_eq!(
            path_of_error::<Page>(r#"{"value":[{"i"#).as_deref(),
            Some("value[0]")
        );
    }

    #[test]
    fn positions_past_the_text_or_without_a_line() {
        assert_eq!(offset_of(b"{}", 0, 0), None);
        assert_eq!(offset_of(b"{}", 1, 9), Some(2));
        assert_eq!(offset_of(b"a\nb", 2, 1), Some(3));
        assert_eq!(offset_of(b"a\nb", 7, 0), Some(3));
    }
}
