//! The sample's page in a real browser: headless Chromium loads it from a local HTTP server,
//! its DOM is read back and every table's rows counted against the model, and a screenshot
//! is saved to `target/publish-screenshot.png` for a person to look at.
//!
//! Needs Debian's `chromium` (`apt-get install -y chromium fonts-noto-cjk`; `.ci/run` installs
//! it). Without it the test fails saying so, unless `BUDGETFLOW_SKIP_BROWSER=1`.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use budgetflow_model::{Document, Lang, TableKind};
use budgetflow_publish::html;
use scraper::Html;

use super::{sample, select};

/// The browser, or `None` when the test is told to skip; fails when it is missing otherwise.
fn chromium() -> Option<PathBuf> {
    let found = ["/usr/bin/chromium", "/usr/bin/chromium-browser"]
        .into_iter()
        .map(PathBuf::from)
        .find(|p| p.exists());
    if found.is_none() && std::env::var("BUDGETFLOW_SKIP_BROWSER").as_deref() == Ok("1") {
        eprintln!(
            "skipping the browser test: chromium is not installed (BUDGETFLOW_SKIP_BROWSER=1)"
        );
        return None;
    }
    Some(found.unwrap_or_else(|| {
        panic!(
            "the browser test needs Chromium at /usr/bin/chromium: install it with \
             `apt-get install -y chromium fonts-noto-cjk`, or set BUDGETFLOW_SKIP_BROWSER=1 to skip"
        )
    }))
}

/// Serves `page` at `/` on an ephemeral port, from a thread that lives as long as the test.
fn serve(page: String) -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").expect("an ephemeral port");
    let addr = listener.local_addr().expect("a local address");
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut request = Vec::new();
            let mut buf = [0u8; 1024];
            while !request.windows(4).any(|w| w == b"\r\n\r\n") {
                match stream.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => request.extend_from_slice(&buf[..n]),
                }
            }
            let path = String::from_utf8_lossy(&request)
                .split_whitespace()
                .nth(1)
                .unwrap_or("")
                .to_string();
            let (status, body) = if path == "/" || path == "/index.html" {
                ("200 OK", page.as_bytes())
            } else {
                ("404 Not Found", &b"not found"[..])
            };
            let head = format!(
                "HTTP/1.1 {status}\r\nContent-Type: text/html; charset=utf-8\r\n\
                 Content-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            );
            let _ = stream.write_all(head.as_bytes());
            let _ = stream.write_all(body);
        }
    });
    addr
}

/// Runs Chromium headless with `args` and the page's URL; fails after a minute.
fn run_chromium(chromium: &Path, url: &str, args: &[&str]) -> Output {
    let profile = tempfile::tempdir().expect("a temporary profile directory");
    let child = Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-dev-shm-usage",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(args)
        .arg(url)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("chromium starts");
    let id = child.id();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(child.wait_with_output());
    });
    let output = rx
        .recv_timeout(Duration::from_secs(90))
        .unwrap_or_else(|_| {
            let _ = Command::new("kill").arg(id.to_string()).status();
            panic!("chromium did not finish within 90 s")
        })
        .expect("chromium ran");
    assert!(
        output.status.success(),
        "chromium failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

/// The body rows each table's `tbody` must have, from the model.
fn expected_rows(doc: &Document, kind: TableKind) -> usize {
    let t = &doc.tables;
    let or_statement = |n: usize| n.max(1);
    match kind {
        TableKind::Overall => t.overall.as_ref().map_or(0, |x| {
            let total = x.revenue_total.is_some() || x.expenditure_total.is_some();
            or_statement(x.revenue.len().max(x.expenditure.len()) + usize::from(total))
        }),
        TableKind::Revenue => t.revenue.as_ref().map_or(0, |x| or_statement(x.rows.len())),
        TableKind::Expenditure => t
            .expenditure
            .as_ref()
            .map_or(0, |x| or_statement(x.rows.len())),
        TableKind::Appropriation => t
            .appropriation
            .as_ref()
            .map_or(0, |x| x.revenue.len().max(x.expenditure.len()) + 1),
        TableKind::GeneralBudget => t
            .general_budget
            .as_ref()
            .map_or(0, |x| or_statement(x.rows.len())),
        TableKind::Basic => t.basic.as_ref().map_or(0, |x| or_statement(x.rows.len())),
        TableKind::Projects => t
            .projects
            .as_ref()
            .map_or(0, |x| or_statement(x.rows.len())),
        TableKind::GovFund => t
            .gov_fund
            .as_ref()
            .map_or(0, |x| or_statement(x.rows.len())),
        TableKind::SoeCapital => t
            .soe_capital
            .as_ref()
            .map_or(0, |x| or_statement(x.rows.len())),
        TableKind::ThreePublic => t
            .three_public
            .as_ref()
            .map_or(0, |x| or_statement(x.rows.len())),
        TableKind::CarryOver => t
            .carry_over
            .as_ref()
            .map_or(0, |x| or_statement(x.rows.len())),
    }
}

#[test]
fn chromium_renders_every_table_row_and_takes_a_screenshot() {
    let Some(chromium) = chromium() else { return };
    let doc = sample();
    let url = format!("http://{}/", serve(html::page(&doc, Lang::Zh)));

    let dom = run_chromium(&chromium, &url, &["--dump-dom"]);
    let dom = String::from_utf8(dom.stdout).expect("the DOM is UTF-8");
    let page = Html::parse_document(&dom);
    let title = page
        .select(&select("h1"))
        .next()
        .expect("the page rendered");
    assert_eq!(title.text().collect::<String>(), "乌鲁木齐市工业和信息化局");
    let mut total = 0;
    for kind in TableKind::ALL {
        let n = kind.standard_number();
        let rows = page
            .select(&select(&format!("section#table-{n} tbody tr")))
            .count();
        let expected = expected_rows(&doc, kind);
        assert!(expected > 0, "表{n} is in the sample");
        assert_eq!(rows, expected, "表{n}: rows in the browser's DOM");
        total += rows;
    }
    assert!(total > 150, "{total} rows");
    assert_eq!(
        page.select(&select("section#charts svg[role=\"img\"]"))
            .count(),
        2,
        "both charts are in the DOM"
    );

    let target = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target");
    std::fs::create_dir_all(&target).expect("the target directory");
    let screenshot = target.join("publish-screenshot.png");
    let _ = std::fs::remove_file(&screenshot);
    run_chromium(
        &chromium,
        &url,
        &[
            &format!("--screenshot={}", screenshot.display()),
            "--window-size=1280,4000",
            "--hide-scrollbars",
        ],
    );
    let png = std::fs::read(&screenshot).expect("chromium wrote the screenshot");
    assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"), "a PNG");
    assert!(png.len() > 50_000, "{} bytes: the page is drawn", png.len());
}

/// The test server answers a plain request with the page, as UTF-8 HTML, promptly.
#[test]
fn the_page_is_served_as_utf8_html() {
    let addr = serve("<p>中文</p>".to_string());
    let started = Instant::now();
    let mut stream = std::net::TcpStream::connect(addr).unwrap();
    stream
        .write_all(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        .unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    assert!(response.starts_with("HTTP/1.1 200 OK"));
    assert!(response.contains("charset=utf-8"));
    assert!(response.ends_with("<p>中文</p>"));
    assert!(started.elapsed() < Duration::from_secs(5));
}
