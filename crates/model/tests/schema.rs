//! `docs/document.schema.json` is generated from the model; this test keeps them in step.
//! Regenerate with `BUDGETFLOW_REGENERATE_DOCS=1 cargo test -p budgetflow-model --test schema`.

#[test]
fn documented_schema_matches_the_model() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../docs/document.schema.json"
    );
    let generated =
        serde_json::to_string_pretty(&budgetflow_model::document_schema()).unwrap() + "\n";
    if std::env::var_os("BUDGETFLOW_REGENERATE_DOCS").is_some() {
        std::fs::write(path, &generated).unwrap();
    }
    let documented = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        documented == generated,
        "docs/document.schema.json is out of date: regenerate it with BUDGETFLOW_REGENERATE_DOCS=1"
    );
}
