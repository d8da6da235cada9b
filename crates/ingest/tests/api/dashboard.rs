//! The bureau's dashboard in a real browser: headless Chromium signs in with the bureau's
//! token and watches the counts move while a batch of synthetic disclosures flows through the
//! embedded pipeline.

use std::path::PathBuf;
use std::time::Duration;

use budgetflow_ingest::api::Limits;

use crate::support::*;
use crate::webdriver::{self, Browser};

/// Departments in the batch; the one at [`FAULTY`] submits a wrong 表1 total.
const DEPARTMENTS: usize = 6;
const FAULTY: usize = 3;

async fn count(browser: &Browser, key: &str) -> String {
    browser
        .text(&format!("#count-{key} .n"))
        .await
        .unwrap_or_default()
}

/// Reads the counts until `published` and `rejected` show, as the page reloads itself.
async fn until_counts(browser: &Browser, published: usize, rejected: usize) {
    let (published, rejected) = (published.to_string(), rejected.to_string());
    let wait = async {
        loop {
            if count(browser, "published").await == published
                && count(browser, "rejected").await == rejected
            {
                return;
            }
            // the page reloads itself; this only paces the reading
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    };
    tokio::time::timeout(Duration::from_secs(120), wait)
        .await
        .unwrap_or_else(|_| panic!("the dashboard never showed {published} published"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_dashboard_shows_a_batch_moving_through_the_pipeline() {
    if webdriver::skipped() {
        return;
    }
    on_every_backend(Limits::default(), Pipeline::Embedded, |app| async move {
        let bureau = app.bureau().await;
        // six synthetic departments of one fiscal year
        let mut docs: Vec<_> = (0..200)
            .map(|i| budgetflow_synth::document(77, i))
            .filter(|doc| doc.identity.fiscal_year.get() == 2025)
            .take(DEPARTMENTS)
            .collect();
        assert_eq!(docs.len(), DEPARTMENTS);
        docs[FAULTY].tables.overall.as_mut().unwrap().revenue_total =
            Some("999999.99".parse().unwrap());
        let mut tokens = Vec::new();
        for (i, doc) in docs.iter().enumerate() {
            tokens.push(
                app.department(&format!("d{i}"), &doc.identity.department)
                    .await,
            );
        }

        let browser = Browser::start().await;
        browser
            .goto(&format!("{}/dashboard?year=2025", app.url))
            .await;
        // not signed in: the form, nothing else
        assert!(browser.find("#count-published").await.is_none());
        browser.type_into("#token", &bureau).await;
        browser.click("button[type=submit]").await;
        browser
            .until_text("#count-departments .n", &DEPARTMENTS.to_string())
            .await;
        browser
            .until_text("#count-none .n", &DEPARTMENTS.to_string())
            .await;
        browser.until_text("#count-published .n", "0").await;

        for (doc, token) in docs.iter().zip(&tokens) {
            let text = budgetflow_formats::text::write(doc);
            let (status, body) = send(app.submit(token, TEXT, text)).await;
            assert_eq!(status, 202, "{body}");
        }
        // nothing was in flight, so the page did not reload itself: now it does, until all end
        browser
            .goto(&format!("{}/dashboard?year=2025", app.url))
            .await;
        until_counts(&browser, DEPARTMENTS - 1, 1).await;
        browser.until_text("#count-none .n", "0").await;
        browser.until_text("#count-failed .n", "0").await;
        // every submission ended: the page that says so reloads no more
        let settled = app
            .client
            .get(format!("{}/dashboard?year=2025", app.url))
            .bearer_auth(&bureau)
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(!settled.contains("http-equiv"), "{settled}");

        // the rejected department's findings are on the page, the first error included
        let row = browser
            .text(&format!("#dept-d{FAULTY}"))
            .await
            .expect("the faulty department's row");
        assert!(row.contains("已退回"), "{row}");
        assert!(row.contains("错误"), "{row}");
        let screenshot = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../../target/screenshots/dashboard.png");
        browser.screenshot(&screenshot).await;
        assert!(std::fs::metadata(&screenshot).unwrap().len() > 10_000);
        // a published department's link opens its public page, served beside the dashboard
        browser.click("#dept-d0 a").await;
        browser.until_text("h1", &docs[0].identity.department).await;
        browser.quit().await;
        app
    })
    .await;
}

#[tokio::test]
async fn without_a_valid_token_the_dashboard_shows_only_the_sign_in_form() {
    on_every_backend(Limits::default(), Pipeline::ApiOnly, |app| async move {
        let token = app.department("miit", SAMPLE_DEPARTMENT).await;
        let page = app
            .client
            .get(format!("{}/dashboard", app.url))
            .send()
            .await
            .unwrap();
        assert_eq!(page.status(), 200);
        let page = page.text().await.unwrap();
        assert!(page.contains("name=\"token\""));
        assert!(!page.contains("count-published"));

        let wrong = app
            .client
            .get(format!("{}/dashboard", app.url))
            .header("cookie", "budgetflow_token=bft_not_a_token")
            .send()
            .await
            .unwrap();
        assert_eq!(wrong.status(), 401);

        // a department's token sees its own row and no other department
        app.department("other", "乌鲁木齐市财政局办公室").await;
        let own = app
            .client
            .get(format!("{}/dashboard?year=2025", app.url))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(own.contains("id=\"dept-miit\""), "{own}");
        assert!(!own.contains("id=\"dept-other\""), "{own}");
        app
    })
    .await;
}

/// Department names a careless or hostile department could register.
const HOSTILE_NAMES: [&str; 3] = [
    "javascript:alert(document.domain)<!--",
    "<script>alert(1)</script>",
    "\"><img src=x onerror=alert(1)>",
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_department_names_stay_text_on_the_dashboard_in_a_real_browser() {
    if webdriver::skipped() {
        return;
    }
    on_every_backend(Limits::default(), Pipeline::Embedded, |app| async move {
        let bureau = app.bureau().await;
        let mut ids = Vec::new();
        for (i, name) in HOSTILE_NAMES.iter().enumerate() {
            let token = app.department(&format!("h{i}"), name).await;
            let disclosure = SAMPLE.replacen(SAMPLE_DEPARTMENT, name, 1);
            let (status, body) = send(app.submit(&token, TEXT, disclosure)).await;
            assert_eq!(status, 202, "{name}: {body}");
            ids.push(body["id"].as_str().unwrap().to_owned());
        }
        // each gets past validation, so findings, scores and publication are on the page
        for id in &ids {
            let wait = async {
                loop {
                    let (_, detail) =
                        send(app.get(&format!("/api/v1/submissions/{id}"), &bureau)).await;
                    if !["received", "validated"].contains(&detail["state"].as_str().unwrap()) {
                        return;
                    }
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
            };
            tokio::time::timeout(Duration::from_secs(60), wait)
                .await
                .expect("scored within a minute");
        }

        let browser = Browser::start().await;
        browser
            .goto(&format!("{}/dashboard?year=2025", app.url))
            .await;
        browser.type_into("#token", &bureau).await;
        browser.click("button[type=submit]").await;
        browser.until_text("#count-departments .n", "3").await;
        for (i, name) in HOSTILE_NAMES.iter().enumerate() {
            browser.until_text(&format!("#dept-h{i} th"), name).await;
        }
        assert_eq!(browser.open_dialog().await, None, "a dialog opened");
        assert_eq!(browser.count("img").await, 0);
        assert_eq!(browser.count("body script").await, 0);
        assert_eq!(browser.count("a[href^='javascript']").await, 0);
        // every link on the page is the department's own, by its code
        for i in 0..HOSTILE_NAMES.len() {
            if let Some(_link) = browser.find(&format!("#dept-h{i} a")).await {
                assert_eq!(
                    browser
                        .count(&format!("#dept-h{i} a[href^='/site/h{i}/']"))
                        .await,
                    1
                );
            }
        }
        // the headers the page came with
        let page = app
            .client
            .get(format!("{}/dashboard?year=2025", app.url))
            .bearer_auth(&bureau)
            .send()
            .await
            .unwrap();
        let policy = page.headers()["content-security-policy"].to_str().unwrap();
        assert!(policy.contains("frame-ancestors 'none'"), "{policy}");
        assert!(!policy.contains("script-src"), "{policy}");
        assert_eq!(page.headers()["x-content-type-options"], "nosniff");
        browser.quit().await;
        app
    })
    .await;
}
