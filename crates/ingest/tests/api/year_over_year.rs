//! The validate stage checks a disclosure's stated changes against the department's
//! disclosure of the year before, found in the ledger: its latest published version.

use budgetflow_ingest::api::Limits;
use serde_json::Value;

use crate::support::*;

/// The sample as the department filed it for 2024: every figure as printed in 2025.
pub fn last_year_json() -> String {
    let document = budgetflow_formats::read_any(SAMPLE.as_bytes()).unwrap();
    let mut json = serde_json::to_value(&document).unwrap();
    json["identity"]["fiscal_year"] = 2024.into();
    json.to_string()
}

/// The `Y.*` findings of a submission.
pub fn year_over_year(detail: &Value) -> Vec<Value> {
    detail["findings"]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"].as_str().is_some_and(|r| r.starts_with("Y.")))
        .cloned()
        .collect()
}

#[tokio::test]
async fn a_stated_change_is_checked_against_last_years_published_version_in_the_ledger() {
    on_every_backend(Limits::default(), Pipeline::Embedded, |app| async move {
        let token = app.department("miit", SAMPLE_DEPARTMENT).await;
        let (status, accepted) = send(app.submit(&token, JSON, last_year_json())).await;
        assert_eq!(status, 202, "{accepted}");
        let last_year = accepted["id"].as_str().unwrap().to_owned();
        let detail = wait_for_state(&app, &token, &last_year, "published", 20).await;
        // nothing was published for 2023: said once, as information
        let none = year_over_year(&detail);
        assert_eq!(none.len(), 1, "{none:?}");
        assert_eq!(none[0]["rule"], "Y.no-previous");
        assert_eq!(none[0]["severity"], "info");
        // a second version of 2024 printing 4,549.75 there is rejected (its total no longer
        // adds up): never published, so it is not what the public saw last year
        let mut unpublished: Value = serde_json::from_str(&last_year_json()).unwrap();
        let total = unpublished["tables"]["revenue"]["rows"]
            .as_array_mut()
            .unwrap()
            .iter_mut()
            .find(|row| row["code"].is_null())
            .unwrap();
        total["amounts"]["general_budget"] = "4549.75".into();
        let (_, accepted) = send(app.submit(&token, JSON, unpublished.to_string())).await;
        assert_eq!(accepted["version"], 2, "{accepted}");
        let id = accepted["id"].as_str().unwrap().to_owned();
        wait_for_state(&app, &token, &id, "rejected", 20).await;

        // 2025: 一般公共预算拨款2,794.98万元，比上年减少1,754.77万元 — last year printed 2,794.98
        let (status, accepted) = send(app.submit(&token, TEXT, SAMPLE)).await;
        assert_eq!(status, 202, "{accepted}");
        let this_year = accepted["id"].as_str().unwrap().to_owned();
        let detail = wait_for_state(&app, &token, &this_year, "rejected", 20).await;
        let found = year_over_year(&detail);
        assert!(
            found.iter().any(|f| f["rule"] == "Y.stated-change"
                && f["row_name"] == "一般公共预算"
                && f["expected"] == "2794.98"
                && f["actual"] == "4549.75"),
            "{found:#?}"
        );
        assert!(found.iter().all(|f| f["rule"] != "Y.no-previous"));
        app
    })
    .await;
}

#[tokio::test]
async fn another_departments_last_year_is_not_this_ones() {
    on_every_backend(Limits::default(), Pipeline::Embedded, |app| async move {
        let other = app.department("other", "乌鲁木齐市财政局").await;
        let mut json: Value = serde_json::from_str(&last_year_json()).unwrap();
        json["identity"]["department"] = "乌鲁木齐市财政局".into();
        let (status, accepted) = send(app.submit(&other, JSON, json.to_string())).await;
        assert_eq!(status, 202, "{accepted}");
        let id = accepted["id"].as_str().unwrap().to_owned();
        wait_for_state(&app, &other, &id, "published", 20).await;

        let token = app.department("miit", SAMPLE_DEPARTMENT).await;
        let (_, accepted) = send(app.submit(&token, TEXT, SAMPLE)).await;
        let id = accepted["id"].as_str().unwrap().to_owned();
        let detail = wait_for_state(&app, &token, &id, "published", 20).await;
        let found = year_over_year(&detail);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0]["rule"], "Y.no-previous");
        app
    })
    .await;
}
