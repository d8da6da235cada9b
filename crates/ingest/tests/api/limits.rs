//! Body size and request rate: each refused with its status and a JSON error.

use budgetflow_ingest::api::Limits;

use crate::support::*;

#[tokio::test]
async fn a_body_over_the_limit_is_413_and_stores_nothing() {
    let limits = Limits {
        max_body_bytes: 16 * 1024,
        ..Limits::default()
    };
    on_every_backend(limits, Pipeline::ApiOnly, |app| async move {
        let token = app.department("miit", SAMPLE_DEPARTMENT).await;
        assert!(
            SAMPLE.len() > 16 * 1024,
            "the sample is larger than the limit"
        );
        let (status, body) = send(app.submit(&token, TEXT, SAMPLE)).await;
        assert_eq!(status, 413, "{body}");
        assert_error(&body, "payload_too_large");
        assert!(body["message_en"].as_str().unwrap().contains("16384"));

        // Without a Content-Length (chunked), the limit still holds while reading.
        let status = chunked_submission(&app, &token, SAMPLE.as_bytes()).await;
        assert_eq!(status, "413");
        assert_eq!(app.rows().await, [1, 0, 0, 0]);
        app
    })
    .await;
}

#[tokio::test]
async fn a_token_over_its_rate_gets_429_with_retry_after() {
    let limits = Limits {
        requests_per_minute: 60,
        burst: 3,
        ..Limits::default()
    };
    on_every_backend(limits, Pipeline::ApiOnly, |app| async move {
        let miit = app.department("miit", SAMPLE_DEPARTMENT).await;
        let edu = app.department("edu", "乌鲁木齐市教育局").await;
        for _ in 0..3 {
            let (status, _) = send(app.get("/api/v1/submissions", &miit)).await;
            assert_eq!(status, 200);
        }
        let response = app.get("/api/v1/submissions", &miit).send().await.unwrap();
        assert_eq!(response.status(), 429);
        let retry_after: u64 = response.headers()["retry-after"]
            .to_str()
            .unwrap()
            .parse()
            .unwrap();
        assert!((1..=2).contains(&retry_after), "{retry_after}");
        let (_, body) = json(response).await;
        assert_error(&body, "rate_limited");
        let (status, _) = send(app.get("/api/v1/submissions", &edu)).await;
        assert_eq!(status, 200, "another token has its own budget");
        app
    })
    .await;
}

/// POSTs `body` with `Transfer-Encoding: chunked` over a raw connection; the status.
async fn chunked_submission(app: &App, token: &str, body: &[u8]) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let address = app.url.trim_start_matches("http://");
    let mut stream = tokio::net::TcpStream::connect(address).await.unwrap();
    let head = format!(
        "POST /api/v1/submissions HTTP/1.1\r\nHost: {address}\r\nAuthorization: Bearer {token}\r\n\
         Content-Type: text/plain\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    for chunk in body.chunks(8192) {
        let frame = [format!("{:x}\r\n", chunk.len()).as_bytes(), chunk, b"\r\n"].concat();
        if stream.write_all(&frame).await.is_err() {
            break; // the server answered and closed early
        }
    }
    let _ = stream.write_all(b"0\r\n\r\n").await;
    let mut response = Vec::new();
    let _ = stream.read_to_end(&mut response).await;
    String::from_utf8_lossy(&response)
        .split_whitespace()
        .nth(1)
        .unwrap_or_default()
        .to_owned()
}
