//! JSON error bodies: Alibaba OpenAPI (IMM) `{"Code", "Message", "RequestId", ...}`,
//! OSS `{"Error": {...}}`, Tencent Cloud API `{"Response": {"Error": {...}}}`, and the
//! CI/COS shapes `{"code": <int>, "message", "request_id"}` and
//! `{"errorcode": -46618, "errormsg": ...}`.

use serde_json::{Map, Value};

use super::fields::{Known, Source, known};
use super::{Fields, ParseError};

/// Objects whose members belong to the error itself, not to an extra field.
const WRAPPERS: &[&str] = &["error", "response", "data"];
const MAX_WRAPPER_DEPTH: usize = 3;

/// Fills `fields` from a JSON body; `false` when the text is not a JSON object.
pub fn parse(text: &str, fields: &mut Fields) -> Result<bool, ParseError> {
    let value: Value = match serde_json::from_str(text) {
        Ok(v) => v,
        Err(e) if e.to_string().contains("recursion limit") => {
            return Err(ParseError::TooDeep("JSON body"));
        }
        Err(_) => return Ok(false),
    };
    let Value::Object(object) = value else {
        return Ok(false);
    };
    read_object(&object, fields, 0);
    let mut sentences = MAX_SENTENCES;
    read_sentences(&Value::Object(object), fields, &mut sentences);
    Ok(!fields.names.is_empty())
}

/// How many string values are searched for an SDK's sentence: a log envelope has a
/// few (`"msg"`, `"error"`, `"errorMessage"`), a large document many more that are not.
const MAX_SENTENCES: usize = 64;

/// The SDK sentences in string values at any depth (a Lambda error's
/// `"cause": {"errorMessage": "An error occurred (AccessDenied) when ..."}`).
fn read_sentences(value: &Value, fields: &mut Fields, left: &mut usize) {
    match value {
        // A sentence has words; an id, a number or a name has none to anchor on.
        Value::String(text) if *left > 0 && text.contains(' ') => {
            *left -= 1;
            super::template::add_fields(text, fields);
            // An SDK's message kept as a string, with its own fields: read after
            // the body's own, which resolve prefers.
            if !fields.has(Known::Code) && text.contains(['=', ':']) {
                super::sdk::add_pairs(text, fields);
            }
        }
        Value::Array(items) => items.iter().for_each(|v| read_sentences(v, fields, left)),
        Value::Object(members) => members
            .values()
            .for_each(|v| read_sentences(v, fields, left)),
        _ => {}
    }
}

fn read_object(object: &Map<String, Value>, fields: &mut Fields, depth: usize) {
    // Scalars first, so `{"Error": {...}, "RequestId": ...}` fills both levels.
    for (name, value) in object {
        if let Some(text) = scalar(value) {
            fields.add(Source::Element, name, &text);
        }
    }
    // Without a code of its own, an object that holds one is the error, whatever
    // it is named (`{"aliyun":{"exception":{"raw":{"Code":...}}}}`, a notifier's).
    let codeless = !object.keys().any(|k| known(k) == Some(Known::Code));
    for (name, value) in object {
        let Value::Object(inner) = value else {
            continue;
        };
        let wrapper = WRAPPERS.iter().any(|w| name.eq_ignore_ascii_case(w))
            || (codeless && holds_code(inner, MAX_WRAPPER_DEPTH - depth));
        if wrapper && depth < MAX_WRAPPER_DEPTH {
            read_object(inner, fields, depth + 1);
        } else {
            let members = inner
                .iter()
                .filter_map(|(k, v)| scalar(v).map(|s| (k.clone(), s)))
                .collect();
            fields.set_group(name, members);
        }
    }
}

/// Whether `object`, or an object in it at most `depth` levels down, has a code.
fn holds_code(object: &Map<String, Value>, depth: usize) -> bool {
    object.iter().any(|(k, v)| match v {
        Value::Object(inner) => depth > 0 && holds_code(inner, depth - 1),
        _ => known(k) == Some(Known::Code),
    })
}

fn scalar(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Null => Some(String::new()),
        Value::Array(_) | Value::Object(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::Extra;

    fn fields(text: &str) -> Fields {
        let mut f = Fields::default();
        assert!(parse(text, &mut f).unwrap());
        crate::parse::resolve::resolve(&mut f);
        f
    }

    #[test]
    fn reads_the_imm_sample() {
        let f = fields(
            r#"{"RequestId": "D18E94DF-1D00-0B75-811E-****", "HostId": "imm.cn-hangzhou.aliyuncs.com", "Code": "InvalidArgument", "Message": "The parameter ProjectName is required but not provided.", "Recommend": "https://next.api.aliyun.com/troubleshoot?q=InvalidArgument&product=imm"}"#,
        );
        assert_eq!(f.code.as_deref(), Some("InvalidArgument"));
        assert_eq!(f.host_id.as_deref(), Some("imm.cn-hangzhou.aliyuncs.com"));
        assert!(f.recommend.unwrap().contains("product=imm"));
    }

    #[test]
    fn reads_wrapped_errors() {
        let f = fields(
            r#"{"Response":{"Error":{"Code":"AuthFailure.SignatureFailure","Message":"bad"},"RequestId":"6d8f"}}"#,
        );
        assert_eq!(f.code.as_deref(), Some("AuthFailure.SignatureFailure"));
        assert_eq!(f.request_id.as_deref(), Some("6d8f"));
    }

    #[test]
    fn an_object_that_holds_the_code_is_the_error_whatever_its_name() {
        let f = fields(
            r#"{"aliyun":{"status":"failure","exception":{"raw":{"Message":"触发小时级流控Permits:5","RequestId":"EFB5A5E4-5899-45FB-928E-56A9D25B9392","Code":"isv.BUSINESS_LIMIT_CONTROL"}}}}"#,
        );
        assert_eq!(f.code.as_deref(), Some("isv.BUSINESS_LIMIT_CONTROL"));
        assert_eq!(
            f.request_id.as_deref(),
            Some("EFB5A5E4-5899-45FB-928E-56A9D25B9392")
        );
    }

    #[test]
    fn an_sdk_message_kept_as_a_string_gives_its_fields() {
        let f = fields(
            r#"{"errno": 102, "RequestId": "673C02C80BFF4B31328CBEC1", "error": "oss: service returned error: statuscode=403, ErrorCode=InvalidAccessKeyId, ErrorMessage=\"The OSS Access Key Id you provided does not exist in our records.\""}"#,
        );
        assert_eq!(f.code.as_deref(), Some("InvalidAccessKeyId"));
        assert_eq!(f.request_id.as_deref(), Some("673C02C80BFF4B31328CBEC1"));
    }

    #[test]
    fn reads_numeric_codes() {
        let f = fields(r#"{"errorcode": -46618, "errormsg": "sign check fail"}"#);
        assert_eq!(f.code.as_deref(), Some("-46618"));
        assert_eq!(f.message.as_deref(), Some("sign check fail"));
    }

    #[test]
    fn keeps_objects_as_groups() {
        let f = fields(
            r#"{"Code":"AccessDenied","AccessDeniedDetail":{"AuthAction":"imm:CreateProject"}}"#,
        );
        assert_eq!(
            f.extra("AccessDeniedDetail"),
            Some(&Extra::Group(vec![(
                "AuthAction".into(),
                "imm:CreateProject".into()
            )]))
        );
    }

    #[test]
    fn reads_an_sdk_sentence_in_a_nested_string() {
        let f = fields(
            r#"{"error": "ClientError", "cause": {"errorMessage": "An error occurred (AccessDenied) when calling the GetObject operation: Access Denied", "stackTrace": [["a.py", 52]]}}"#,
        );
        assert_eq!(f.code.as_deref(), Some("AccessDenied"));
        assert_eq!(f.message.as_deref(), Some("Access Denied"));
    }

    #[test]
    fn deep_nesting_is_a_clear_error() {
        let deep = "[".repeat(100_000);
        let mut f = Fields::default();
        assert_eq!(
            parse(&format!("{{\"a\":{deep}"), &mut f),
            Err(ParseError::TooDeep("JSON body"))
        );
    }
}
