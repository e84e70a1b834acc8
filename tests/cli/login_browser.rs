//! End to end: a real headless Chromium follows `tokvault login` through an
//! authorization server on 127.0.0.1 and back to the loopback redirect, and
//! the page it ends on is checked. Skipped, with the reason printed, only
//! where Chromium is not installed (`.ci/run` installs it).

use crate::common::Home;
use crate::common::provider::{Provider, Reply, tokens};
use std::collections::HashMap;
use std::os::unix::fs::PermissionsExt;
use std::process::Stdio;

fn chromium() -> Option<String> {
    let candidates = [
        std::env::var("CHROMIUM").ok(),
        Some("chromium".into()),
        Some("chromium-browser".into()),
    ];
    candidates.into_iter().flatten().find(|c| {
        std::process::Command::new(c)
            .arg("--version")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    })
}

#[test]
fn chromium_signs_in_through_the_loopback_redirect() {
    let Some(chromium) = chromium() else {
        println!(
            "SKIPPED: chromium is not installed (apt-get install chromium); the page was not checked in a browser"
        );
        return;
    };
    let server = Provider::start(|req| match req.path.as_str() {
        "/authorize" => {
            let q: HashMap<String, String> = form_urlencoded::parse(req.query.as_bytes())
                .into_owned()
                .collect();
            let mut reply = Reply::raw(302, "text/html", "");
            reply.location = Some(format!(
                "{}?code=browser-code&state={}",
                q["redirect_uri"], q["state"]
            ));
            reply
        }
        _ => Reply::json(200, tokens("chromium-at", Some("chromium-rt"), 3600)),
    });
    let home = Home::new();
    home.cmd()
        .args(["oauth2", "add", "idp", "--token-url", &server.token_url()])
        .args([
            "--auth-url",
            &format!("{}/authorize", server.url),
            "--client-id",
            "cid",
            "--auth-method",
            "none",
        ])
        .assert()
        .success();

    // $BROWSER: headless Chromium that saves the DOM of the page it ends on.
    let page = home.path().join("page.html");
    let profile = home.path().join("chromium-profile");
    let script = home.path().join("browser.sh");
    std::fs::write(
        &script,
        format!(
            "#!/bin/sh\nexec {chromium} --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
             --disable-background-networking --disable-component-update --disable-sync \
             --user-data-dir={} --dump-dom \"$1\" > {} 2>/dev/null\n",
            profile.display(),
            page.display()
        ),
    )
    .unwrap();
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();

    home.cmd()
        .args(["login", "me", "--oauth2", "idp", "--timeout", "60"])
        .env("BROWSER", &script)
        .assert()
        .success();
    assert_eq!(home.get("me"), "chromium-at\n");

    // Chromium writes the DOM once the page has loaded, after tokvault answered.
    let start = std::time::Instant::now();
    let html = loop {
        let html = std::fs::read_to_string(&page).unwrap_or_default();
        if html.contains("</html>") || start.elapsed() > std::time::Duration::from_secs(30) {
            break html;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    };
    assert!(html.contains("<h1>Signed in</h1>"), "{html}");
    assert!(html.contains("tokvault stored credential 'me'"), "{html}");
    assert!(
        !html.contains("browser-code"),
        "the page never shows the code"
    );
}
