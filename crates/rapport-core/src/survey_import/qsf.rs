//! Qualtrics QSF (JSON). The mapping is described in the parent module.

use super::logic::Cond;
use super::{choices, join, localize, plain, question, scale, Builder, Format, ImportError, Imported, Operand};
use crate::lang::Lang;
use crate::survey::{ConditionOp, Localized, Question, QuestionType};
use serde::Deserialize;
use serde_json::Value;

#[derive(Deserialize, Default)]
#[serde(default)]
struct Entry {
    #[serde(rename = "SurveyName")]
    name: Option<String>,
    #[serde(rename = "SurveyLanguage")]
    language: Option<String>,
}

#[derive(Deserialize)]
struct Element {
    #[serde(rename = "Element", default)]
    element: String,
    #[serde(rename = "PrimaryAttribute", default)]
    primary: Value,
    #[serde(rename = "Payload", default)]
    payload: Value,
}

/// The payload of an `SQ` (survey question) element.
#[derive(Deserialize, Default)]
#[serde(default)]
struct Payload {
    #[serde(rename = "QuestionID")]
    id: Option<String>,
    #[serde(rename = "DataExportTag")]
    tag: Option<String>,
    #[serde(rename = "QuestionType")]
    kind: Option<String>,
    #[serde(rename = "Selector")]
    selector: Option<String>,
    #[serde(rename = "SubSelector")]
    sub_selector: Option<String>,
    #[serde(rename = "QuestionText")]
    text: Option<String>,
    /// An object by choice id, or (NPS) an array.
    #[serde(rename = "Choices")]
    choices: Value,
    #[serde(rename = "ChoiceOrder")]
    choice_order: Value,
    /// Scale points of a matrix.
    #[serde(rename = "Answers")]
    answers: Value,
    #[serde(rename = "AnswerOrder")]
    answer_order: Value,
    #[serde(rename = "Configuration")]
    configuration: Value,
    #[serde(rename = "Validation")]
    validation: Value,
    /// `{"ES": {"QuestionText": ..., "Choices": {...}}}`, or `[]` when untranslated.
    #[serde(rename = "Language")]
    language: Value,
    #[serde(rename = "DisplayLogic")]
    display_logic: Value,
    #[serde(rename = "SkipLogic")]
    skip_logic: Value,
    /// The columns of a side-by-side question, each a question of its own.
    #[serde(rename = "AdditionalQuestions")]
    additional: Value,
}

impl Payload {
    /// The name people know it by: the export tag, else the question id.
    fn name<'a>(&'a self, qid: &'a str) -> &'a str {
        self.tag.as_deref().filter(|t| !t.trim().is_empty()).unwrap_or(qid)
    }

    fn kind(&self) -> String {
        match (self.kind.as_deref().unwrap_or(""), self.selector.as_deref().unwrap_or("")) {
            (t, "") => t.to_string(),
            (t, s) => format!("{t}/{s}"),
        }
    }
}

pub(super) fn import(source: &str) -> Result<Imported, ImportError> {
    let root = super::parse_json(Format::Qsf, source)?;
    let elements: Vec<Element> = match root.get("SurveyElements") {
        Some(v @ Value::Array(_)) => serde_json::from_value(v.clone())
            .map_err(|e| ImportError::not_a_survey(Format::Qsf, format!("its SurveyElements are not readable: {e}")))?,
        _ => return Err(ImportError::not_a_survey(Format::Qsf, "it has no SurveyElements list")),
    };
    let entry: Entry = root.get("SurveyEntry").and_then(|v| serde_json::from_value(v.clone()).ok()).unwrap_or_default();
    let main_lang = entry.language.as_deref().map_or(Some(Lang::En), Lang::parse);
    let mut b = Builder::default();

    let mut questions: Vec<(String, Payload)> = Vec::new();
    for el in elements.iter().filter(|e| e.element == "SQ") {
        let primary = el.primary.as_str().unwrap_or("").to_string();
        match serde_json::from_value::<Payload>(el.payload.clone()) {
            Ok(p) => questions.push((p.id.clone().unwrap_or(primary), p)),
            Err(e) => b.skip(&primary, "SQ", format!("not a readable question: {e}")),
        }
    }

    let payload = |name: &str| elements.iter().find(|e| e.element == name).map(|e| &e.payload);
    let blocks: Vec<&Value> = match payload("BL") {
        Some(Value::Array(a)) => a.iter().collect(),
        Some(Value::Object(o)) => o.values().collect(),
        _ => Vec::new(),
    };
    let block_questions = |block: &Value| -> Vec<String> {
        let items = block["BlockElements"].as_array().into_iter().flatten();
        items.filter(|e| e["Type"] == "Question").filter_map(|e| e["QuestionID"].as_str().map(String::from)).collect()
    };
    let is_trash = |block: &Value| block["Type"] == "Trash";
    // The questions in the order respondents meet them, each with whether a
    // flow branch decides if it is shown.
    let mut order: Vec<(String, bool)> = Vec::new();
    if blocks.is_empty() {
        order = questions.iter().map(|(qid, _)| (qid.clone(), false)).collect();
    } else {
        let mut flow = Vec::new();
        match payload("FL") {
            Some(fl) => flow_blocks(&fl["Flow"], false, &mut flow),
            None => flow = blocks.iter().filter(|b| !is_trash(b)).map(|b| (id_of(&b["ID"]), false)).collect(),
        }
        for (block_id, in_branch) in flow {
            let Some(block) = blocks.iter().find(|b| id_of(&b["ID"]) == block_id && !is_trash(b)) else { continue };
            for qid in block_questions(block) {
                if !order.iter().any(|(q, _)| *q == qid) {
                    order.push((qid, in_branch));
                }
            }
        }
    }

    let mut import = Qsf { b, main_lang };
    for (qid, in_branch) in &order {
        if let Some((_, p)) = questions.iter().find(|(q, _)| q == qid) {
            import.question(qid, p, *in_branch);
        }
    }
    for (qid, p) in questions.iter().filter(|(q, _)| !order.iter().any(|(o, _)| o == q)) {
        let trashed = blocks.iter().any(|b| is_trash(b) && block_questions(b).contains(qid));
        let reason =
            if trashed { "in the trash, not part of the survey" } else { "not in any block of the survey flow" };
        // The trash and unused blocks are not part of the survey: nothing is lost.
        import.b.info(p.name(qid), &p.kind(), reason);
    }
    let title = localize(&plain(entry.name.as_deref().unwrap_or("")), main_lang, []);
    Ok(import.b.finish(title, Localized::default()))
}

/// What a question becomes in Rapport.
enum Shape {
    Nps,
    Single,
    Multiple,
    Text,
    /// Labelled text fields (`TE`/`FORM`).
    Form,
    Ranking,
    Block,
    /// A 1..max rating of each statement (stars).
    Stars(i64),
    /// A slider per statement.
    Slider {
        min: f64,
        max: f64,
        step: f64,
    },
    /// Statements rated on one scale.
    Matrix,
    /// Statements, each with several answers among the scale points.
    MatrixMulti,
}

/// A choice, statement or scale point.
struct Opt {
    id: String,
    display: String,
    text_entry: bool,
}

struct Qsf {
    b: Builder,
    main_lang: Option<Lang>,
}

impl Qsf {
    /// A text and its translations, picked out of each `Language` block by `get`.
    fn text(&self, main: &str, languages: &Value, get: impl Fn(&Value) -> Option<&str>) -> Localized {
        let translations = languages.as_object().into_iter().flatten();
        let translations = translations.filter_map(|(code, block)| get(block).map(|t| (code.as_str(), plain(t))));
        localize(&plain(main), self.main_lang, translations)
    }

    /// Choices (or statements) with their labels, in display order.
    fn labelled(&self, p: &Payload, map: &Value, order: &Value, field: &'static str) -> Vec<(Opt, Localized)> {
        let opts = options(map, order);
        opts.into_iter()
            .map(|o| {
                let label = self.text(&o.display, &p.language, |l| l.get(field)?.get(&o.id)?.get("Display")?.as_str());
                (o, label)
            })
            .collect()
    }

    fn question(&mut self, qid: &str, p: &Payload, in_branch: bool) {
        let (name, kind) = (p.name(qid), p.kind());
        if p.kind.as_deref() == Some("SBS") {
            return self.side_by_side(qid, p, in_branch);
        }
        let shape = match shape(p) {
            Ok(shape) => shape,
            Err((false, reason)) => return self.b.info(name, &kind, reason),
            Err((true, reason)) => return self.b.skip(name, &kind, reason),
        };
        let text = self.text(p.text.as_deref().unwrap_or(""), &p.language, |l| l.get("QuestionText")?.as_str());
        let required = p.validation["Settings"]["ForceResponse"] == "ON";
        let key = self.b.keys.unique(p.tag.as_deref().unwrap_or(""), qid);
        let mut notes: Vec<String> = Vec::new();
        let mut specify: Vec<(String, Localized)> = Vec::new();
        let mut q = question(key, QuestionType::Text, text.clone(), required);
        let mut values = Vec::new();
        let mut rows = Vec::new();
        match &shape {
            Shape::Nps => q.kind = QuestionType::Nps,
            Shape::Text => {}
            Shape::Block => {
                q.kind = QuestionType::TextBlock;
                q.required = false;
                // Kept as HTML: a text block holds a safe subset, cleaned when saved.
                let html = |t: &str| t.trim().to_string();
                let languages = p.language.as_object().into_iter().flatten();
                let translations =
                    languages.filter_map(|(c, l)| Some((c.as_str(), html(l.get("QuestionText")?.as_str()?))));
                q.text = localize(&html(p.text.as_deref().unwrap_or("")), self.main_lang, translations);
            }
            Shape::Single | Shape::Multiple | Shape::Ranking => {
                let mut items = self.labelled(p, &p.choices, &p.choice_order, "Choices");
                let single = matches!(shape, Shape::Single);
                // The last choice with a text box is "Other, please specify".
                if !matches!(shape, Shape::Ranking) && items.last().is_some_and(|(o, _)| o.text_entry) {
                    q.other = true;
                    items.pop();
                }
                // Other choices asking for text get a text question after the list.
                let texts: Vec<(String, Localized)> =
                    items.iter().filter(|(o, _)| o.text_entry).map(|(o, l)| (o.id.clone(), l.clone())).collect();
                specify = texts;
                (q.choices, values) = choices(items.into_iter().map(|(o, l)| (o.id, l.en.clone(), l)).collect());
                q.kind = match shape {
                    Shape::Ranking => QuestionType::Ranking,
                    _ if single => QuestionType::SingleChoice,
                    _ => QuestionType::MultipleChoice,
                };
            }
            Shape::Form => {
                q.kind = QuestionType::MultiText;
                let items = self.labelled(p, &p.choices, &p.choice_order, "Choices");
                (q.rows, rows) = choices(items.into_iter().map(|(o, l)| (o.id, l.en.clone(), l)).collect());
            }
            Shape::Matrix => {
                q.kind = QuestionType::Matrix;
                let points = self.labelled(p, &p.answers, &p.answer_order, "Answers");
                q.scale_min = Some(1);
                values = points.iter().enumerate().map(|(i, (o, _))| (o.id.clone(), (i + 1).to_string())).collect();
                q.choices = points
                    .into_iter()
                    .enumerate()
                    .map(|(i, (_, label))| crate::survey::Choice { key: format!("p{}", i + 1), label })
                    .collect();
                q.scale_max = Some(q.choices.len() as i64);
                let items = self.labelled(p, &p.choices, &p.choice_order, "Choices");
                (q.rows, rows) = choices(items.into_iter().map(|(o, l)| (o.id, l.en.clone(), l)).collect());
            }
            Shape::Stars(_) | Shape::Slider { .. } | Shape::MatrixMulti => {
                return self.sliders(qid, p, &shape, q, &text, in_branch)
            }
        }
        if present(&p.display_logic) {
            match display_logic(&p.display_logic).and_then(|c| self.b.show_if(&c)) {
                Some(c) => q.show_if = Some(c),
                None => notes.push(
                    "display logic is not a condition Rapport can keep; imported without it, so the question is always shown"
                        .into(),
                ),
            }
        }
        if present(&p.skip_logic) {
            notes.push("skip logic is not imported".into());
        }
        if in_branch {
            notes.push("shown only in a branch of the survey flow; imported without the branch condition".into());
        }
        let specify: Vec<(String, Localized)> = specify
            .into_iter()
            .filter_map(|(id, label)| Some((values.iter().find(|(v, _)| *v == id)?.1.clone(), label)))
            .collect();
        self.b.push(q, qid, name, &kind, values);
        self.b.set_rows(rows);
        for n in notes {
            self.b.note(n);
        }
        for (key, label) in specify {
            self.b.comment(label, Some(&key));
        }
    }

    /// A side-by-side question: each column is a question of its own (Qualtrics
    /// exports them as such, `Q1#1`, `Q1#2`), asked about the same statements.
    fn side_by_side(&mut self, qid: &str, p: &Payload, in_branch: bool) {
        let columns = p.additional.as_object().into_iter().flatten();
        let mut columns: Vec<(&String, &Value)> = columns.collect();
        columns.sort_by_key(|(k, _)| k.parse::<u32>().unwrap_or(u32::MAX));
        if columns.is_empty() {
            return self.b.skip(p.name(qid), &p.kind(), "a side-by-side question without columns");
        }
        for (n, column) in columns {
            let Ok(mut c) = serde_json::from_value::<Payload>(column.clone()) else {
                self.b.skip(p.name(qid), &p.kind(), format!("column {n} is not a readable question"));
                continue;
            };
            let own = c.text.clone().unwrap_or_default();
            c.text = Some(format!("{} — {own}", p.text.clone().unwrap_or_default()));
            if c.tag.is_none() {
                c.tag = Some(format!("{}#{n}", p.name(qid)));
            }
            if c.display_logic.is_null() {
                c.display_logic = p.display_logic.clone();
            }
            if c.validation.is_null() {
                c.validation = p.validation.clone();
            }
            self.question(&format!("{qid}#{n}"), &c, in_branch);
        }
    }

    /// A slider, star rating or multiple choice per statement.
    fn sliders(&mut self, qid: &str, p: &Payload, shape: &Shape, base: Question, text: &Localized, in_branch: bool) {
        let (name, kind) = (p.name(qid), p.kind());
        let statements = self.labelled(p, &p.choices, &p.choice_order, "Choices");
        if statements.is_empty() {
            return self.b.skip(name, &kind, "a slider without statements");
        }
        let several = statements.len() > 1;
        let shown = present(&p.display_logic)
            .then(|| display_logic(&p.display_logic).and_then(|c| self.b.show_if(&c)))
            .flatten();
        for (i, (o, label)) in statements.into_iter().enumerate() {
            let mut q = base.clone();
            if several {
                q.key = self.b.keys.unique(&format!("{}_{}", base.key, o.id), &format!("{}_{}", base.key, i + 1));
            }
            q.text = join(text, &label);
            q.show_if = shown.clone();
            match *shape {
                Shape::Stars(max) => {
                    q.kind = QuestionType::Rating;
                    q.scale_max = Some(max);
                }
                Shape::Slider { min, max, step } => {
                    q.kind = QuestionType::Slider;
                    (q.min, q.max, q.step) = (Some(min), Some(max), Some(step));
                }
                Shape::MatrixMulti => {
                    // A statement with several answers: a multiple choice among the scale points.
                    q.kind = QuestionType::MultipleChoice;
                    let points = self.labelled(p, &p.answers, &p.answer_order, "Answers");
                    q.choices = choices(points.into_iter().map(|(o, l)| (o.id, l.en.clone(), l)).collect()).0;
                }
                _ => {}
            }
            if i == 0 {
                self.b.push(q, qid, name, &kind, Vec::new());
            } else {
                self.b.push_part(q, &format!("{qid}/{}", o.id), name, &kind, Vec::new());
            }
        }
        if present(&p.skip_logic) {
            self.b.note("skip logic is not imported");
        }
        if shown.is_none() && present(&p.display_logic) {
            self.b.note("display logic is not a condition Rapport can keep; imported without it, so the question is always shown");
        }
        if in_branch {
            self.b.note("shown only in a branch of the survey flow; imported without the branch condition");
        }
    }
}

/// The shape of a question, or why not: (a question lost?, reason).
fn shape(p: &Payload) -> Result<Shape, (bool, String)> {
    let selector = p.selector.as_deref().unwrap_or("");
    let sub = p.sub_selector.as_deref().unwrap_or("");
    let lost = |r: String| Err((true, r));
    match p.kind.as_deref().unwrap_or("") {
        "NPS" => Ok(Shape::Nps),
        "MC" if selector == "NPS" => Ok(Shape::Nps),
        "MC" if matches!(selector, "SAVR" | "SAHR" | "SACOL" | "DL" | "SB") || sub == "SingleAnswer" => {
            Ok(Shape::Single)
        }
        "MC" if matches!(selector, "MAVR" | "MAHR" | "MACOL" | "MSB") || sub == "MultipleAnswer" => Ok(Shape::Multiple),
        "MC" => lost(format!("multiple choice shown as \"{selector}\" is not supported")),
        "TE" if selector == "FORM" => Ok(Shape::Form),
        "TE" if selector == "PW" => lost("password fields are not supported".into()),
        "TE" => Ok(Shape::Text),
        "RO" => Ok(Shape::Ranking),
        "Slider" => slider(p, selector).map_err(|r| (true, r)),
        "Matrix" => matrix(p, selector, sub).map_err(|r| (true, r)),
        "DB" => Ok(Shape::Block),
        // Page timers and browser details are recorded, never asked.
        "Timing" | "Meta" => {
            Err((false, format!("{}: recorded, not asked", type_name(p.kind.as_deref().unwrap_or("")))))
        }
        other => lost(format!("{} questions are not supported", type_name(other))),
    }
}

fn type_name(kind: &str) -> String {
    let name = match kind {
        "CS" => "constant sum",
        "PGR" => "pick, group and rank",
        "SBS" => "side by side",
        "Timing" => "timing",
        "Meta" => "browser meta info",
        "FileUpload" => "file upload",
        "Draw" => "signature",
        "HeatMap" => "heat map",
        "HotSpot" => "hot spot",
        "HL" => "highlight",
        "DD" => "drill down",
        "Captcha" => "captcha",
        "" => "untyped",
        other => return format!("\"{other}\""),
    };
    name.to_string()
}

fn slider(p: &Payload, selector: &str) -> Result<Shape, String> {
    let conf = &p.configuration;
    if selector == "STAR" {
        let stars = num(&conf["StarCount"]).unwrap_or(5.0);
        return match scale(1.0, stars) {
            Some((QuestionType::Rating, Some(max))) => Ok(Shape::Stars(max)),
            _ => Err(format!("a star rating of {stars} stars is not supported (3 to 10)")),
        };
    }
    let (min, max) = (num(&conf["CSSliderMin"]).unwrap_or(0.0), num(&conf["CSSliderMax"]).unwrap_or(100.0));
    if max <= min {
        return Err(format!("a slider from {min} to {max}"));
    }
    let decimals = num(&conf["NumDecimals"]).unwrap_or(0.0).clamp(0.0, 6.0);
    Ok(Shape::Slider { min, max, step: 10f64.powi(-(decimals as i32)) })
}

fn matrix(p: &Payload, selector: &str, sub: &str) -> Result<Shape, String> {
    if selector == "TE" {
        // A text box per statement: labelled short texts.
        return Ok(Shape::Form);
    }
    if !matches!(selector, "Likert" | "Bipolar") {
        return Err(format!("matrix tables shown as \"{selector}\" are not supported"));
    }
    if selector == "Likert" && sub == "MultipleAnswer" {
        return Ok(Shape::MatrixMulti);
    }
    // A dropdown or a drag-and-drop per statement still picks one point.
    if selector == "Likert" && !matches!(sub, "SingleAnswer" | "DL" | "DND" | "") {
        return Err(format!("a matrix table with \"{sub}\" answers is not supported"));
    }
    let points = options(&p.answers, &p.answer_order).len();
    if points == 1 {
        // One point to mark, or not, per statement: a multiple choice among the statements.
        return Ok(Shape::Multiple);
    }
    if !(2..=10).contains(&points) {
        return Err(format!("a matrix scale of {points} points is not supported (2 to 10)"));
    }
    Ok(Shape::Matrix)
}

/// Choices (or statements, or scale points) in display order: by the order
/// list when there is one, else by id.
fn options(map: &Value, order: &Value) -> Vec<Opt> {
    let all: Vec<(String, &Value)> = match map {
        Value::Object(o) => o.iter().map(|(k, v)| (k.clone(), v)).collect(),
        Value::Array(a) => a.iter().enumerate().map(|(i, v)| (i.to_string(), v)).collect(),
        _ => Vec::new(),
    };
    let order: Vec<String> = order.as_array().into_iter().flatten().map(id_of).filter(|id| !id.is_empty()).collect();
    let picked: Vec<&(String, &Value)> = if order.is_empty() {
        let mut all: Vec<_> = all.iter().collect();
        all.sort_by_key(|(id, _)| (id.parse::<u64>().unwrap_or(u64::MAX), id.clone()));
        all
    } else {
        order.iter().filter_map(|id| all.iter().find(|(k, _)| k == id)).collect()
    };
    picked
        .into_iter()
        .map(|(id, v)| Opt {
            id: id.clone(),
            display: v["Display"].as_str().unwrap_or("").to_string(),
            text_entry: truthy(&v["TextEntry"]),
        })
        .collect()
}

/// The blocks of a flow in order, with whether they sit inside a branch.
fn flow_blocks(flow: &Value, in_branch: bool, out: &mut Vec<(String, bool)>) {
    for item in flow.as_array().into_iter().flatten() {
        match item["Type"].as_str() {
            Some("Block" | "Standard" | "Default") => out.push((id_of(&item["ID"]), in_branch)),
            Some("Branch") => flow_blocks(&item["Flow"], true, out),
            _ => flow_blocks(&item["Flow"], in_branch, out),
        }
    }
}

/// A display logic: its expressions joined by their conjunctions (`And`,
/// `Or`), each a comparison on a question.
fn display_logic(logic: &Value) -> Option<Cond> {
    // Conjunction groups and the expressions in them are numbered "0", "1"...
    let numbered = |v: &Value| -> Vec<Value> {
        let mut items: Vec<(u32, Value)> = v
            .as_object()
            .into_iter()
            .flatten()
            .filter_map(|(k, v)| Some((k.parse::<u32>().ok()?, v.clone())))
            .collect();
        items.sort_by_key(|(k, _)| *k);
        items.into_iter().map(|(_, v)| v).collect()
    };
    let mut out: Option<Cond> = None;
    for group in numbered(logic) {
        for expr in numbered(&group).into_iter().chain(group.get("LogicType").map(|_| group.clone())) {
            let leaf = expression(&expr)?;
            out = Some(match out {
                None => leaf,
                Some(prev) if expr["Conjuction"] == "Or" => Cond::Or(Box::new(prev), Box::new(leaf)),
                Some(prev) => Cond::And(Box::new(prev), Box::new(leaf)),
            });
        }
    }
    out
}

/// One expression of a display logic.
fn expression(expr: &Value) -> Option<Cond> {
    if expr["LogicType"] != "Question" {
        return None;
    }
    let mut locator = expr["LeftOperand"].as_str()?.strip_prefix("q://")?.split('/');
    let (qid, what, choice) = (locator.next()?, locator.next()?, locator.next());
    let operator = expr["Operator"].as_str()?;
    let (op, operand) = match (what, operator) {
        ("SelectableChoice", "Selected") => (ConditionOp::Eq, Operand::Text(choice?.into())),
        ("SelectableChoice", "NotSelected") => (ConditionOp::Ne, Operand::Text(choice?.into())),
        (_, "NotEmpty") => (ConditionOp::Answered, Operand::None),
        (_, operator) => {
            let op = match operator {
                "EqualTo" => ConditionOp::Eq,
                "NotEqualTo" => ConditionOp::Ne,
                "GreaterThan" => ConditionOp::Gt,
                "GreaterThanOrEqual" => ConditionOp::Gte,
                "LessThan" => ConditionOp::Lt,
                "LessThanOrEqual" => ConditionOp::Lte,
                _ => return None,
            };
            (op, Operand::Text(expr["RightOperand"].as_str()?.trim().into()))
        }
    };
    Some(Cond::Leaf(qid.into(), op, operand))
}

fn id_of(v: &Value) -> String {
    super::scalar_text(v).unwrap_or_default()
}

fn num(v: &Value) -> Option<f64> {
    match v {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

fn truthy(v: &Value) -> bool {
    match v {
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_f64().is_some_and(|n| n != 0.0),
        Value::String(s) => matches!(s.trim().to_ascii_lowercase().as_str(), "true" | "1" | "on" | "yes"),
        _ => false,
    }
}

/// Whether a logic field says anything (`null`, `false`, `[]` and `{}` do not).
fn present(v: &Value) -> bool {
    match v {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::Array(a) => !a.is_empty(),
        Value::Object(o) => !o.is_empty(),
        Value::String(s) => !s.trim().is_empty(),
        Value::Number(_) => true,
    }
}

#[cfg(test)]
#[path = "tests/qsf.rs"]
mod tests;
