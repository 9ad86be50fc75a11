// Package e2e holds debrief's end-to-end tests: the real server over a real
// store, driven by a headless Chromium the way a person uses the web app.
// The tests skip, saying why, where Chromium is not installed; CI installs
// it and sets DEBRIEF_REQUIRE_BROWSER so that a skip fails the run.
package e2e
