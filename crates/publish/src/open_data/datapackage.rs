//! `datapackage.json`: the open data described in the Fiscal Data Package style (a
//! frictionless data package with a fiscal `model`). Every CSV is a resource whose schema
//! declares each column with its type; every amount column is a measure (currency CNY, the
//! table's unit as `factor`, phase `approved`, revenue or expenditure); the code columns of
//! each table form its functional (类/款/项) or economic (类/款) classification dimension.
//!
//! The package's description, every text column's and the workbook's say how text is written
//! so that no spreadsheet runs it ([`TEXT_CELLS`]): the reader who finds `'=…` in a cell
//! knows the `'` is not the department's.

use rust_decimal::prelude::ToPrimitive;
use serde_json::{json, Map, Value};

use budgetflow_model::Document;

use super::tables::{Flow, Resource, Role, Scheme};

/// The package's path inside a publication.
pub const PATH: &str = "datapackage.json";

/// How the text cells of the CSVs and the public workbook are written, in Chinese and English
/// (the rule is [`budgetflow_workbook::neutralised`]).
pub const TEXT_CELLS: &str = "文字单元格以 =、+、-、@、制表符或回车开头时，已在前面加上单引号 '，以免电子表格软件将其作为公式执行（OWASP 关于 CSV / 公式注入的建议）；金额列为数字，不加前缀。 \
Text cells that begin with =, +, -, @, a tab or a carriage return are prefixed with a single quote (') so that no spreadsheet runs them as a formula (OWASP's advice on CSV / formula injection); amount columns are numbers and are never prefixed.";

/// The files of a publication the package lists beside the tables.
pub struct Files<'a> {
    /// The canonical JSON (public form).
    pub document_json: &'a str,
    /// The XLSX workbook and its media type, when the publication has one.
    pub workbook: Option<(&'a str, &'a str)>,
}

/// The data package of `doc`'s open data: the table resources and the other `files`.
pub fn write(doc: &Document, resources: &[Resource], files: &Files<'_>) -> String {
    let id = &doc.identity;
    let year = id.fiscal_year.get();
    let mut list: Vec<Value> = resources.iter().map(resource).collect();
    list.push(json!({
        "name": "document",
        "path": files.document_json,
        "title": "规范 JSON（涉密项目已按公开口径处理）",
        "description": "The disclosure as the canonical JSON (budgetflow.document/1), with every detail withheld for a classified project (特定目标) removed.",
        "format": "json",
        "mediatype": "application/json",
        "encoding": "utf-8",
    }));
    if let Some((path, mediatype)) = files.workbook {
        list.push(json!({
            "name": "workbook",
            "path": path,
            "title": "电子表格（每表一页，涉密项目已按公开口径处理）",
            "description": format!("The disclosure as an XLSX workbook, one sheet per table, in its public form. {TEXT_CELLS}"),
            "format": "xlsx",
            "mediatype": mediatype,
        }));
    }
    let mut measures = Map::new();
    let mut dimensions = Map::new();
    for r in resources {
        model(r, year, &mut measures, &mut dimensions);
    }
    let package = json!({
        "profile": "fiscal-data-package",
        "name": format!("department-budget-{year}"),
        "title": format!("{} {}", id.department, id.title),
        "description": format!("{}{}年部门预算公开表1至表{}（{}）。{TEXT_CELLS}", id.department, year, resources.len(), id.kind.label()),
        "countryCode": "CN",
        "fiscalYear": year,
        "fiscalPeriod": { "start": format!("{year}-01-01"), "end": format!("{year}-12-31") },
        "publisher": id.department,
        "resources": list,
        "model": { "measures": measures, "dimensions": dimensions },
    });
    let mut text = serde_json::to_string_pretty(&package).unwrap_or_default();
    text.push('\n');
    text
}

fn resource(r: &Resource) -> Value {
    let fields: Vec<Value> = r
        .fields
        .iter()
        .map(|f| match f.role {
            Role::Amount(_) => json!({
                "name": f.name,
                "title": f.name,
                "type": "number",
                "decimalChar": ".",
                "groupChar": "",
                "description": format!("单位：{}；空白为未填列", r.unit.label()),
            }),
            Role::Code(scheme) | Role::Level(scheme, _) => json!({
                "name": f.name,
                "title": f.name,
                "type": "string",
                "format": "default",
                "description": match scheme {
                    Scheme::Functional => "支出功能分类科目编码",
                    Scheme::Economic => "支出经济分类科目编码",
                },
            }),
            Role::Label => json!({
                "name": f.name,
                "title": f.name,
                "type": "string",
                "description": TEXT_CELLS,
            }),
        })
        .collect();
    let mut value = json!({
        "name": r.name,
        "path": r.path,
        "title": r.title,
        "profile": "tabular-data-resource",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8-sig",
        "dialect": { "delimiter": ",", "lineTerminator": "\r\n", "header": true },
        "schema": { "fields": fields, "missingValues": [""] },
    });
    if !r.printed {
        value["description"] = json!("本公开文件未载此表");
    }
    value
}

/// Adds `r`'s measures (one per amount column) and classification dimensions.
fn model(
    r: &Resource,
    year: i32,
    measures: &mut Map<String, Value>,
    dimensions: &mut Map<String, Value>,
) {
    let mut functional = Map::new();
    let mut economic = Map::new();
    let key = |scheme: Scheme| -> Option<String> {
        r.fields
            .iter()
            .find(|f| f.role == Role::Code(scheme))
            .map(|f| f.name.clone())
    };
    let functional_key = key(Scheme::Functional);
    let economic_key = key(Scheme::Economic);
    let mut parent: Option<String> = None;
    for f in &r.fields {
        match f.role {
            Role::Amount(flow) => {
                measures.insert(
                    format!("{}:{}", r.name, f.name),
                    json!({
                        "source": f.name,
                        "resource": r.name,
                        "title": format!("{} {}", r.title, f.name),
                        "currency": "CNY",
                        "factor": r.unit.yuan().to_u64(),
                        "direction": match flow { Flow::Revenue => "revenue", Flow::Expenditure => "expenditure" },
                        "phase": "approved",
                        "fiscalYear": year,
                    }),
                );
            }
            Role::Code(scheme) => {
                let attributes = match scheme {
                    Scheme::Functional => &mut functional,
                    Scheme::Economic => &mut economic,
                };
                attributes.insert(
                    f.name.clone(),
                    json!({ "source": f.name, "resource": r.name }),
                );
            }
            Role::Level(scheme, level) => {
                let attributes = match scheme {
                    Scheme::Functional => &mut functional,
                    Scheme::Economic => &mut economic,
                };
                let mut a = json!({ "source": f.name, "resource": r.name, "title": level });
                if let Some(p) = parent.as_ref().filter(|p| attributes.contains_key(*p)) {
                    a["parent"] = json!(p);
                }
                attributes.insert(f.name.clone(), a);
                parent = Some(f.name.clone());
            }
            Role::Label => {}
        }
    }
    for (attributes, primary, classification) in [
        (functional, functional_key, "functional"),
        (economic, economic_key, "economic"),
    ] {
        if attributes.is_empty() {
            continue;
        }
        dimensions.insert(
            format!("{}:{classification}-classification", r.name),
            json!({
                "attributes": attributes,
                "primaryKey": primary.map(|p| vec![p]).unwrap_or_default(),
                "dimensionType": "classification",
                "classificationType": classification,
            }),
        );
    }
}
