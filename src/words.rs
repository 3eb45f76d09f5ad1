//! Every label, heading, hint and error line errdecode writes, in English and in
//! Chinese, side by side so that neither can lack a text the other has: the compiler
//! refuses a `Words` with a field missing, and a test refuses a Chinese text that is
//! empty, holds no Chinese or is the English left in place.
//!
//! A text with variable parts numbers them, `{0}` `{1}`, filled by [`fill`]; a
//! translation may leave a part out (Chinese needs no plural `s`) or reorder them.

use std::fmt::Display;

macro_rules! words {
    ($($name:ident: $en:literal, $zh:literal;)*) => {
        /// The texts of one language: [`words`] gives the process's. Each is a
        /// method, not a field: a `&str` in a static costs a load-time relocation on
        /// every run, and these are hundreds (benches/startup.sh).
        pub struct Words {
            chinese: bool,
        }

        impl Words {
            $(pub fn $name(&self) -> &'static str {
                if self.chinese { $zh } else { $en }
            })*
        }

        static EN: Words = Words { chinese: false };
        static ZH: Words = Words { chinese: true };

        #[cfg(test)]
        const ALL: &[(&str, &str, &str)] = &[$((stringify!($name), $en, $zh),)*];
    };
}

words! {
    // The report's table.
    no_entry_for_code: "errdecode has no entry for this code", "errdecode 的目录中没有这个错误码";
    answers_with_api: "it answers with the API of {0}, whose meaning of the code is below",
        "它使用 {0} 的 API，下面是该错误码在那里的含义";
    looks_like: "This looks like {0}: {1}.", "这看起来来自 {0}：{1}。";
    scoped_out: "{0}'s own meaning is left out by --vendor/--product: below is what it means there.",
        "--vendor/--product 排除了 {0} 自己的含义：下面是它在所选范围内的含义。";
    meaning_elsewhere: "{0} has no such code in errdecode's catalog: below is what it means elsewhere.",
        "errdecode 的目录中 {0} 没有这个错误码：下面是它在其他产品中的含义。";
    diagnosis: "Diagnosis", "诊断";
    status_in_general: "What HTTP {0} means in general", "HTTP {0} 的一般含义";
    status_not_in_catalog: "Not in the catalog: what HTTP {0} means in general",
        "目录中没有此错误码：HTTP {0} 的一般含义";
    meaning: "Meaning", "含义";
    fix: "Fix", "解决办法";
    retry: "Retry", "重试";
    source: "Source", "来源";
    code: "Code", "错误码";
    template: "Template", "模板";
    sent_with: "Sent with", "随附错误码";
    message: "Message", "消息";
    docs: "Docs", "文档";
    matches_input: "  (matches the input)", "  （与输入一致）";
    product_sends: "  (a message this product sends with it)", "  （该产品随此错误码返回的消息）";
    more_meanings: "{0} more meaning{1}: {2}`--all` shows every block.",
        "另有 {0} 种含义：{2}`--all` 显示全部。";
    narrow_paste: "paste the whole response, or add `--product`, to pick one; ",
        "粘贴完整响应或加上 `--product` 以确定其一；";
    narrow_product: "add `--product` to pick one; ", "加上 `--product` 以确定其一；";
    from_input: "From the input", "输入中的信息";
    did_you_mean: "Did you mean:", "您要找的是不是：";
    retry_yes: "yes, the same request can succeed later", "可以，稍后重发同一请求可能成功";
    retry_no: "no, fix the cause first", "否，先解决问题";
    found_by_ec: "{0} (found by its EC)", "{0}（由 EC 找到）";
    found_by_message: "{0} (found by its message)", "{0}（由消息找到）";
    no_error_code: "no error code", "无错误码";
    any_vendor: "any vendor", "任意厂商";
    vendor_unknown: "vendor unknown", "厂商未知";
    possible_meanings: "{0} possible meanings", "{0} 种可能的含义";
    not_in_catalog: "not in the catalog", "不在目录中";
    request: "Request", "请求";
    request_id: "RequestId", "请求 ID";
    host_id: "HostId", "主机 ID";
    trace_id: "TraceId", "跟踪 ID";
    ec: "EC", "EC 码";
    recommend: "Recommend", "推荐文档";
    ec_category: "EC category", "EC 类别";
    masked: "Masked", "已遮盖";
    evidence: "Evidence", "判断依据";
    received: "  (received {0})", "  （收到于 {0}）";
    redacted_in_input: "  (redacted in the input)", "  （输入中已脱敏）";
    masked_note: "{0}: secrets, only a short prefix is shown", "{0}：密钥，仅显示开头几位";
    list_separator: "; ", "；";
    more_evidence: "+{0} more (--json lists all)", "另有 {0} 条（--json 列出全部）";
    no_entry_with_status: "No catalog entry is sent with HTTP {0}: the response's code says more.",
        "目录中没有随 HTTP {0} 返回的错误码：响应中的错误码能说明更多。";
    sent_with_status: "Sent with HTTP {0} in the catalog: {1} code{2} in {3} product{4}",
        "目录中随 HTTP {0} 返回的错误码：{1} 个，分布在 {3} 个产品中";
    own_code_says: "The response's own code says which: paste the whole response, or run errdecode CODE.",
        "具体是哪个，看响应自己的错误码：粘贴完整响应，或运行 errdecode <错误码>。";
    n_more: ", +{0} more", "，另有 {0} 个";
    error_without_code: "an error without a code", "一个没有错误码的错误";
    more_errors: "This paste holds {0}{1} more error{2}: {3}{4}. Run `errdecode scan` on it to see each one.",
        "这段粘贴中还有{0} {1} 个错误：{3}{4}。用 `errdecode scan` 逐个查看。";
    at_least: "at least ", "至少";
    not_read_here: ", and {0}{1} more not read here", "，另有{0} {1} 个未在此读取";
    read_as_gb18030: "The input is not UTF-8: it was read as GB18030 (GBK).",
        "输入不是 UTF-8：已按 GB18030（GBK）读取。";
    more_characters: "… [{0} more characters: --json shows all]", "…［还有 {0} 个字符：--json 显示全部］";

    // Diagnoses: what the fields of a paste say together.
    clock_skew: "The request was signed at {0} but the server's time was {1}: your clock is {2} {3}. Sync it with NTP (the limit is 15 minutes).",
        "请求的签名时间是 {0}，而服务器时间是 {1}：本机时钟{3} {2}。请用 NTP 同步时间（上限为 15 分钟）。";
    clock_fast: "fast", "快了";
    clock_slow: "slow", "慢了";
    window_ended: "The signature was valid until {0}, {1} before the server received the request: sign again with a window covering now.",
        "签名有效期截至 {0}，比服务器收到请求早 {1}：请用覆盖当前时间的有效期重新签名。";
    window_not_begun: "The signature only becomes valid at {0}, {1} after the server received the request: your clock is fast.",
        "签名从 {0} 起才生效，比服务器收到请求晚 {1}：本机时钟快了。";
    url_expired: "The signed URL expired at {0}, {1} before the server received the request: generate a new one.",
        "签名 URL 已于 {0} 过期，比服务器收到请求早 {1}：请重新生成。";
    access_denied: "{0}{1} was {2} {3}{4}.", "{0}{1}执行 {3}{4} 时{2}。";
    explicitly_denied: "explicitly denied", "被显式拒绝";
    implicitly_denied: "not allowed (no policy grants it: an implicit deny)", "未被允许（没有策略授予该权限：隐式拒绝）";
    denied: "denied", "被拒绝";
    the_caller: "The caller", "调用者";
    this_action: "this action", "此操作";
    of_account: " (account {0})", "（账号 {0}）";
    policy_type: " (policy type {0})", "（策略类型 {0}）";
    trust_policy_type: " Trust PolicyType over the Message text, which can name another policy.",
        "以 PolicyType 为准，Message 中提到的可能是别的策略。";
    decode_diagnostic: " Decode EncodedDiagnosticMessage with RAM's DecodeDiagnosticMessage API for the exact statement.",
        "用 RAM 的 DecodeDiagnosticMessage API 解码 EncodedDiagnosticMessage，可看到具体是哪条语句。";
    endpoint_required: "{0}must be addressed through {1}{2}: use that endpoint.", "{0}必须通过 {1} 访问{2}：请改用该 Endpoint。";
    bucket_named: "Bucket {0} ", "Bucket {0} 的请求";
    this_bucket: "This bucket ", "该 Bucket 的请求";
    request_went_to: " (this request went to {0})", "（本次请求发往 {0}）";
    compare_string_to_sign: "The server's string-to-sign is shown below, one line per row: compare it with the one your client signed; the first line that differs is the cause.",
        "下面逐行列出服务器的 StringToSign：与客户端签名时所用的逐行比较，第一处不同就是原因。";
    ec_cause: "EC {0} is OSS's fine-grained cause{1}; its troubleshooting page: {2}", "EC {0} 是 OSS 的细分错误原因{1}；排查页面：{2}";
    raised_by_module: " raised by the {0} module ({1})", "，由 {0} 模块（{1}）报出";

    // `scan`'s summary.
    scan_heading: "{0} errors in {1} ({2} distinct)", "{1} 中有 {0} 个错误（{2} 种）";
    count: "Count", "次数";
    error: "Error", "错误";
    sender: "Sender", "来源产品";
    first_last_seen: "First / last seen", "首次 / 最后出现";
    first_seen: "First", "首次出现";
    new_kind: "New", "新错误";
    follow_one_file: "--follow reads one log: give it one FILE", "--follow 只读取一个日志：请只给一个 FILE";
    last_seen: "Last", "最后出现";
    meaning_and_fix: "Meaning and fix", "含义与解决办法";
    not_in_catalog_sentence: "Not in the catalog.", "不在目录中。";
    status_not_in_catalog_sentence: "Not in the catalog. HTTP {0}: {1}", "不在目录中。HTTP {0}：{1}";
    fix_line: "Fix: {0}", "解决办法：{0}";
    line_number: "line {0}", "第 {0} 行";
    cut_records: "{0} errors were in records longer than 64 KiB, read cut around their code.",
        "{0} 个错误所在的记录超过 64 KiB，只读取了错误码附近的部分。";
    unlisted_kinds: "{0} more errors of other kinds were counted but not listed (over {1} kinds).",
        "另有 {0} 个其他种类的错误已计数但未列出（超过 {1} 种）。";
    scanning: "scanning: {0} MiB read, {1} errors found", "扫描中：已读 {0} MiB，发现 {1} 个错误";
    standard_input: "standard input", "标准输入";

    // `list` and `search`: the header row.
    column_code: "CODE", "错误码";
    column_product: "PRODUCT", "产品";
    column_status: "HTTP", "HTTP 状态";
    column_meaning: "MEANING", "含义";

    // Lines on stderr: each says what was wrong and what to do.
    no_match: "no catalog entry matches{0}: try `errdecode --help` for the input forms, or check the code's spelling",
        "目录中没有与{0} 匹配的条目：用 `errdecode --help` 查看支持的输入形式，或检查错误码的拼写";
    no_code_read: "no error code was read: paste the whole response, or try `errdecode search` with its words",
        "没有读到错误码：请粘贴完整响应，或用 `errdecode search` 搜索其中的词";
    other_scope: "{0} is not a code of the vendor or product asked for, but of {1}: drop --vendor/--product to see it",
        "{0} 不是所选厂商或产品的错误码，而属于 {1}：去掉 --vendor/--product 即可看到";
    // The context of every error met writing stdout, so a full disk or a closed
    // descriptor is told apart from an unreadable input ("cannot read app.log").
    cannot_write: "cannot write output", "无法写出输出";
    cannot_read: "cannot read {0}", "无法读取 {0}";
    paste_hint: "paste the response, then press Ctrl-D on a line of its own (Ctrl-Z Enter on Windows)",
        "请粘贴响应，然后在新的一行按 Ctrl-D（Windows 上按 Ctrl-Z 再回车）";
    no_input: "no input: pass a code or a body as an argument, use --file FILE, or pipe a response in (curl -si URL | errdecode)",
        "没有输入：把错误码或响应体作为参数传入，或用 --file 文件，或用管道输入响应（curl -si URL | errdecode）";
    too_large: "input is larger than {0} MiB: pass only the error response, or raise --max-input-mib",
        "输入超过 {0} MiB：只传入错误响应，或调高 --max-input-mib";
    empty_input: "the input is empty: pass an error code or a response (see `errdecode --help`)",
        "输入为空：请传入错误码或响应（见 `errdecode --help`）";
    too_deep: "the {0} is nested more than {1} levels deep and has no error fields errdecode can reach: paste only the error response",
        "{0} 嵌套超过 {1} 层，errdecode 找不到可读的错误字段：只粘贴错误响应";
    no_entry_in_scope: "no catalog entry fits both --vendor and --product",
        "目录中没有同时符合 --vendor 和 --product 的条目";
    search_found_nothing: "no catalog entry contains all of {0}: try fewer or shorter words, or browse `errdecode list`",
        "目录中没有同时包含 {0} 的条目：减少或缩短关键词，或浏览 `errdecode list`";
    see_help: "; see `errdecode --help`", "；见 `errdecode --help`";
    // Usage errors, in English as clap words them; in Chinese from these.
    unknown_argument: "unexpected argument '{0}' found", "无法识别的参数 `{0}`";
    unknown_subcommand: "unrecognized subcommand '{0}'", "无法识别的子命令 `{0}`";
    invalid_value: "invalid value '{0}' for '{1}'", "`{0}` 不是 `{1}` 的有效值";
    possible_values: " [possible values: {0}]", "［可选值：{0}］";
    argument_conflict: "the argument '{0}' cannot be used with '{1}'", "参数 `{0}` 不能与 `{1}` 一起使用";
    missing_argument: "the following required arguments were not provided: {0}", "缺少必需的参数：{0}";
    did_you_mean_this: " (did you mean '{0}'?)", "（您要找的是不是 `{0}`？）";
}

/// The texts of the process's language (`--lang`, else the locale).
pub fn words() -> &'static Words {
    crate::lang::pick([&EN, &ZH])
}

/// `template` with `{0}`, `{1}`, ... replaced by `args` in that order; a number with
/// no argument is left as written.
pub fn fill(template: &str, args: &[&dyn Display]) -> String {
    let mut out = String::with_capacity(template.len() + 16 * args.len());
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let arg = after
            .find('}')
            .and_then(|close| Some((after[..close].parse::<usize>().ok()?, close)))
            .and_then(|(n, close)| Some((args.get(n)?, close)));
        match arg {
            Some((arg, close)) => {
                use std::fmt::Write;
                let _ = write!(out, "{arg}");
                rest = &after[close + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// `s` after a count other than one, for the English texts' plurals.
pub fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn placeholders(text: &str) -> Vec<usize> {
        let mut found: Vec<usize> = text
            .split('{')
            .skip(1)
            .filter_map(|part| part.split_once('}')?.0.parse().ok())
            .collect();
        found.sort_unstable();
        found.dedup();
        found
    }

    #[test]
    fn every_text_has_its_chinese_form() {
        for (name, en, zh) in ALL {
            assert!(!zh.is_empty(), "{name}: no Chinese");
            assert_ne!(en, zh, "{name}: the Chinese is the English");
            // Chinese characters, or Chinese punctuation for a separator.
            assert!(
                zh.chars().any(|c| matches!(c, '\u{4e00}'..='\u{9fff}' | '\u{3000}'..='\u{303f}' | '\u{ff00}'..='\u{ffef}')),
                "{name}: {zh:?} holds no Chinese"
            );
            // A translation may drop a part (a plural ending), never invent one.
            let (en_parts, zh_parts) = (placeholders(en), placeholders(zh));
            assert!(
                zh_parts.iter().all(|p| en_parts.contains(p)),
                "{name}: {zh:?} fills a part {en:?} has not"
            );
        }
    }

    #[test]
    fn fill_replaces_numbered_parts_in_any_order() {
        assert_eq!(fill("{1} in {0}", &[&"a", &2]), "2 in a");
        assert_eq!(fill("{0}{0}", &[&"x"]), "xx");
        assert_eq!(fill("{x} {9} {", &[&1]), "{x} {9} {");
        assert_eq!(fill("无 {0} 个", &[&3]), "无 3 个");
    }
}
