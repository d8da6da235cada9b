//! What every answer carries and the small refusals docs/api.md promises as JSON: the
//! `Bearer` scheme in any case, 405 and 431 with JSON bodies, `nosniff` everywhere, and the
//! Content-Security-Policy of the dashboard and the served site.

use budgetflow_ingest::api::headers::{MAX_HEADER_BYTES, MAX_HEADER_FIELDS};
use budgetflow_ingest::api::Limits;

use crate::support::*;

#[tokio::test]
async fn the_bearer_scheme_is_accepted_in_any_case() {
    on_every_backend(Limits::default(), Pipeline::ApiOnly, |app| async move {
        let token = app.department("miit", SAMPLE_DEPARTMENT).await;
        for scheme in ["Bearer", "bearer", "BEARER", "bEaReR"] {
            let response = app
                .client
                .get(format!("{}/api/v1/submissions", app.url))
                .header("authorization", format!("{scheme} {token}"))
                .send()
                .await
                .unwrap();
            assert_eq!(response.status(), 200, "{scheme}");
        }
        let (status, body) = send(
            app.client
                .get(format!("{}/api/v1/submissions", app.url))
                .header("authorization", format!("Basic {token}")),
        )
        .await;
        assert_eq!(status, 401);
        assert_error(&body, "unauthorized");
        let dashboard = app
            .client
            .get(format!("{}/dashboard?year=2025", app.url))
            .header("authorization", format!("bearer {token}"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(dashboard.contains("id=\"dept-miit\""), "{dashboard}");
        app
    })
    .await;
}

#[tokio::test]
async fn a_method_a_route_does_not_serve_is_a_json_405_with_allow() {
    on_every_backend(Limits::default(), Pipeline::Embedded, |app| async move {
        let token = app.department("miit", SAMPLE_DEPARTMENT).await;
        for (method, path) in [
            (reqwest::Method::DELETE, "/api/v1/submissions"),
            (
                reqwest::Method::PUT,
                "/api/v1/submissions/00000000-0000-0000-0000-000000000000",
            ),
            (reqwest::Method::POST, "/health/live"),
            (reqwest::Method::POST, "/site/index.html"),
        ] {
            let response = app
                .client
                .request(method.clone(), format!("{}{path}", app.url))
                .bearer_auth(&token)
                .send()
                .await
                .unwrap();
            assert_eq!(response.status(), 405, "{method} {path}");
            assert!(response.headers().contains_key("allow"), "{method} {path}");
            assert_eq!(response.headers()["x-content-type-options"], "nosniff");
            let (_, body) = json(response).await;
            assert_error(&body, "method_not_allowed");
        }
        app
    })
    .await;
}

#[tokio::test]
async fn too_many_or_too_large_headers_are_a_json_431() {
    on_every_backend(Limits::default(), Pipeline::ApiOnly, |app| async move {
        let token = app.department("miit", SAMPLE_DEPARTMENT).await;
        let mut many = app.get("/api/v1/submissions", &token);
        for i in 0..MAX_HEADER_FIELDS {
            many = many.header(format!("x-extra-{i}"), "1");
        }
        let (status, body) = send(many).await;
        assert_eq!(status, 431, "{body}");
        assert_error(&body, "headers_too_large");

        let large = app
            .get("/api/v1/submissions", &token)
            .header("x-large", "a".repeat(MAX_HEADER_BYTES));
        let (status, body) = send(large).await;
        assert_eq!(status, 431, "{body}");
        assert_error(&body, "headers_too_large");
        assert!(body["message_en"].as_str().unwrap().contains("32768"));

        // just under both limits is served
        let mut fine = app.get("/api/v1/submissions", &token);
        for i in 0..MAX_HEADER_FIELDS - 10 {
            fine = fine.header(format!("x-extra-{i}"), "1");
        }
        assert_eq!(fine.send().await.unwrap().status(), 200);
        app
    })
    .await;
}

#[tokio::test]
async fn the_dashboard_and_the_site_send_their_policies_and_every_answer_nosniff() {
    on_every_backend(Limits::default(), Pipeline::Embedded, |app| async move {
        let token = app.department("miit", SAMPLE_DEPARTMENT).await;
        for (path, authorized) in [("/dashboard", false), ("/dashboard?year=2025", true)] {
            let mut request = app.client.get(format!("{}{path}", app.url));
            if authorized {
                request = request.bearer_auth(&token);
            }
            let response = request.send().await.unwrap();
            assert_eq!(response.status(), 200);
            let headers = response.headers();
            let policy = headers["content-security-policy"].to_str().unwrap();
            assert!(policy.contains("default-src 'none'"), "{policy}");
            assert!(policy.contains("frame-ancestors 'none'"), "{policy}");
            assert!(policy.contains("style-src 'sha256-"), "{policy}");
            assert!(!policy.contains("script-src"), "{policy}");
            assert_eq!(headers["x-content-type-options"], "nosniff");
            assert_eq!(headers["x-frame-options"], "DENY");
        }
        std::fs::write(app.out_dir().join("index.html"), "<h1>site</h1>").unwrap();
        let site = app
            .client
            .get(format!("{}/site/index.html", app.url))
            .send()
            .await
            .unwrap();
        assert_eq!(site.status(), 200);
        let policy = site.headers()["content-security-policy"].to_str().unwrap();
        assert!(policy.contains("default-src 'none'"), "{policy}");
        assert!(!policy.contains("script-src"), "{policy}");
        assert_eq!(site.headers()["x-content-type-options"], "nosniff");
        let api = app.get("/api/v1/submissions", &token).send().await.unwrap();
        assert_eq!(api.headers()["x-content-type-options"], "nosniff");
        app
    })
    .await;
}
