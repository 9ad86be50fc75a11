// Package corpus finds the shared corpus of real postmortems that tests read
// in place (it is never copied into this repository).
package corpus

import (
	"os"
	"path/filepath"
	"testing"
)

// Env names the variable that points at the reports folder of the corpus
// when the checkout does not sit beside it.
const Env = "DEBRIEF_CORPUS"

// Reports returns the corpus's reports folder. It looks at $DEBRIEF_CORPUS,
// then for shared/corpus/reports beside each folder above the working
// directory. When there is none the test is skipped, or fails when
// DEBRIEF_REQUIRE_CORPUS is set, as CI sets it.
func Reports(t testing.TB) string {
	t.Helper()
	if dir := Lookup(); dir != "" {
		return dir
	}
	if dir := os.Getenv(Env); dir != "" {
		t.Fatalf("%s=%s is not a folder", Env, dir)
	}
	if os.Getenv("DEBRIEF_REQUIRE_CORPUS") != "" {
		t.Fatalf("the corpus was not found; set %s to its reports folder", Env)
	}
	t.Skipf("the corpus was not found; set %s to its reports folder", Env)
	return ""
}

// Lookup returns the corpus's reports folder as Reports finds it, or "".
func Lookup() string {
	if dir := os.Getenv(Env); dir != "" {
		if isDir(dir) {
			return dir
		}
		return ""
	}
	wd, err := os.Getwd()
	if err != nil {
		return ""
	}
	for dir := wd; ; dir = filepath.Dir(dir) {
		candidate := filepath.Join(dir, "shared", "corpus", "reports")
		if isDir(candidate) {
			return candidate
		}
		if filepath.Dir(dir) == dir {
			return ""
		}
	}
}

func isDir(path string) bool {
	info, err := os.Stat(path)
	return err == nil && info.IsDir()
}

// Payloads returns the corpus's folder of real webhook payloads and Slack
// exports (payloads/, beside reports/), found and skipped as Reports is.
func Payloads(t testing.TB) string {
	t.Helper()
	return sibling(t, "payloads")
}

// Lint returns the corpus's folder of labelled sentences (lint/, beside
// reports/), found and skipped as Reports is.
func Lint(t testing.TB) string {
	t.Helper()
	return sibling(t, "lint")
}

func sibling(t testing.TB, name string) string {
	t.Helper()
	dir := filepath.Join(filepath.Dir(Reports(t)), name)
	if !isDir(dir) {
		t.Fatalf("the corpus at %s has no %s folder", filepath.Dir(dir), name)
	}
	return dir
}
