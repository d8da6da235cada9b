//! The validate stage checks a disclosure's stated changes against the department's
//! disclosure of the year before, found in the ledger: its latest published version.

use budgetflow_ingest::api::Limits;
use serde_json::Value;

use crate::support::*;
use crate::webdriver::Browser;

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

/// The sample's 2025 disclosure resubmitted with 表2's 一般公共预算 total 2,794.98 → 2,800.00.
fn resubmitted_json() -> String {
    let mut json: Value = serde_json::from_str(&last_year_json()).unwrap();
    json["identity"]["fiscal_year"] = 2025.into();
    let total = json["tables"]["revenue"]["rows"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|row| row["code"].is_null())
        .unwrap();
    total["amounts"]["general_budget"] = "2800.00".into();
    json.to_string()
}

/// Submits `body` and waits until the pipeline is done with it; its id.
async fn filed(app: &App, token: &str, content_type: &str, body: String, state: &str) -> String {
    let (status, accepted) = send(app.submit(token, content_type, body)).await;
    assert_eq!(status, 202, "{accepted}");
    let id = accepted["id"].as_str().unwrap().to_owned();
    wait_for_state(app, token, &id, state, 30).await;
    id
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_dashboard_moves_between_years_and_shows_last_years_comparison_and_the_diff() {
    if crate::webdriver::skipped() {
        return;
    }
    on_every_backend(Limits::default(), Pipeline::Embedded, |app| async move {
        let bureau = app.bureau().await;
        let miit = app.department("miit", SAMPLE_DEPARTMENT).await;
        // a second department files for 2025, a third only for 2026
        let mut synthetic = (0..200)
            .map(|i| budgetflow_synth::document(77, i))
            .filter(|doc| doc.identity.fiscal_year.get() == 2025);
        let d1 = synthetic.next().unwrap();
        let mut d2 = synthetic.next().unwrap();
        d2.identity.fiscal_year = budgetflow_model::FiscalYear::new(2026).unwrap();
        let d1_token = app.department("d1", &d1.identity.department).await;
        let d2_token = app.department("d2", &d2.identity.department).await;

        filed(&app, &miit, JSON, last_year_json(), "published").await;
        filed(&app, &miit, TEXT, SAMPLE.to_owned(), "rejected").await;
        filed(&app, &miit, JSON, resubmitted_json(), "rejected").await;
        let (status, body) =
            send(app.submit(&d1_token, TEXT, budgetflow_formats::text::write(&d1))).await;
        assert_eq!(status, 202, "{body}");
        let (status, body) =
            send(app.submit(&d2_token, JSON, serde_json::to_string(&d2).unwrap())).await;
        assert_eq!(status, 202, "{body}");
        assert_eq!(body["fiscal_year"], 2026, "{body}");
        let d2_id = body["id"].as_str().unwrap().to_owned();
        for id in [&d2_id] {
            let wait = async {
                loop {
                    let (_, detail) =
                        send(app.get(&format!("/api/v1/submissions/{id}"), &bureau)).await;
                    if ["published", "rejected", "failed"]
                        .contains(&detail["state"].as_str().unwrap())
                    {
                        return;
                    }
                    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
                }
            };
            tokio::time::timeout(std::time::Duration::from_secs(60), wait)
                .await
                .expect("settled within a minute");
        }

        let browser = Browser::start().await;
        browser.goto(&format!("{}/dashboard", app.url)).await;
        browser.type_into("#token", &bureau).await;
        browser.click("button[type=submit]").await;
        // the latest year by default: 2026, where only d2 filed
        browser.until_text("#years strong", "2026").await;
        browser.until_text("#count-departments .n", "3").await;
        browser.until_text("#count-none .n", "2").await;
        assert!(browser.find("#dept-miit details.yoy").await.is_none());

        // 2025: miit and d1 filed, d2 did not
        browser.click("#year-2025").await;
        browser.until_text("#years strong", "2025").await;
        browser.until_text("#count-none .n", "1").await;
        browser.until_text("#count-rejected .n", "1").await;
        assert!(browser.find("#year-2024").await.is_some());
        assert!(browser.find("#year-2026").await.is_some());
        // miit's stated changes against what it published for 2024, in a group of their own
        browser.click("#dept-miit details.yoy summary").await;
        let compared = browser
            .text("#dept-miit details.yoy")
            .await
            .expect("the year-over-year findings");
        assert!(compared.starts_with("与上年比较"), "{compared}");
        assert!(compared.contains("Y.stated-change"), "{compared}");
        assert!(compared.contains("上年文件 表2"), "{compared}");
        let own = browser
            .text("#dept-miit details:not(.yoy) summary")
            .await
            .unwrap();
        assert!(!own.contains("与上年比较"), "{own}");

        // the resubmission's diff: the one cell changed
        browser.click("#dept-miit a.diff").await;
        browser
            .until_text("h1", &format!("{SAMPLE_DEPARTMENT} 2025 年 第1版 → 第2版"))
            .await;
        let cells = browser.text("#changed-cells tbody").await.unwrap();
        assert_eq!(
            browser.count("#changed-cells tr.cell-change").await,
            1,
            "{cells}"
        );
        assert!(cells.contains("表2"), "{cells}");
        assert!(cells.contains("一般公共预算"), "{cells}");
        assert!(cells.contains("2,794.98"), "{cells}");
        assert!(cells.contains("2,800.00"), "{cells}");
        assert!(browser.find("#findings-still-open li").await.is_some());
        browser.quit().await;
        app
    })
    .await;
}

/// The dashboard page `token` gets for `query`.
async fn dashboard(app: &App, token: &str, query: &str) -> (u16, String) {
    let page = app
        .client
        .get(format!("{}/dashboard{query}", app.url))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    (page.status().as_u16(), page.text().await.unwrap())
}

/// The figure of count `key` on a dashboard page.
fn count<'p>(page: &'p str, key: &str) -> &'p str {
    let marker = format!("<li id=\"count-{key}\"><span class=\"n\">");
    let start = page.find(&marker).unwrap_or_else(|| panic!("{key}")) + marker.len();
    &page[start..start + page[start..].find('<').unwrap()]
}

#[tokio::test]
async fn five_departments_in_2025_and_one_in_2026_are_counted_per_year() {
    on_every_backend(Limits::default(), Pipeline::ApiOnly, |app| async move {
        let bureau = app.bureau().await;
        let docs: Vec<_> = (0..200)
            .map(|i| budgetflow_synth::document(77, i))
            .filter(|doc| doc.identity.fiscal_year.get() == 2025)
            .take(6)
            .collect();
        let (mut tokens, mut ids) = (Vec::new(), Vec::new());
        for (i, doc) in docs.iter().enumerate() {
            let token = app
                .department(&format!("d{i}"), &doc.identity.department)
                .await;
            let mut json = serde_json::to_value(doc).unwrap();
            if i == 5 {
                json["identity"]["fiscal_year"] = 2026.into();
            }
            let (status, body) = send(app.submit(&token, JSON, json.to_string())).await;
            assert_eq!(status, 202, "{body}");
            ids.push(body["id"].as_str().unwrap().to_owned());
            tokens.push(token);
        }
        // the diff page: another department's submission is as missing as one that is not
        // there, and a first version has nothing before it
        let diff = |id: &str| format!("/submissions/{id}/diff");
        let (status, other) = dashboard(&app, &tokens[0], &diff(&ids[1])).await;
        assert_eq!(status, 404, "{other}");
        let (status, first) = dashboard(&app, &tokens[0], &diff(&ids[0])).await;
        assert_eq!(status, 404, "{first}");
        assert!(first.contains("该提交的上一版本"), "{first}");
        // the latest year by default; the one department that filed for it
        let (status, latest) = dashboard(&app, &bureau, "").await;
        assert_eq!(status, 200, "{latest}");
        assert!(
            latest.contains("id=\"year-2026\">2026</strong>"),
            "{latest}"
        );
        assert_eq!(count(&latest, "departments"), "6");
        assert_eq!(count(&latest, "none"), "5");
        assert_eq!(count(&latest, "received"), "1");
        assert!(latest.contains("href=\"/dashboard?year=2025\""), "{latest}");
        // 2025: five filed, one did not
        let (_, earlier) = dashboard(&app, &bureau, "?year=2025").await;
        assert!(
            earlier.contains("id=\"year-2025\">2025</strong>"),
            "{earlier}"
        );
        assert_eq!(count(&earlier, "none"), "1");
        assert_eq!(count(&earlier, "received"), "5");
        // a year outside any budget is refused, not shown empty
        let (status, refused) = dashboard(&app, &bureau, "?year=99999").await;
        assert_eq!(status, 400, "{refused}");
        app
    })
    .await;
}
