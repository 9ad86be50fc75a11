package e2e

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/chromedp/chromedp"
)

// field selects a form control by its name, which in debrief's forms is
// the JSON path of the value it edits ("timeline[0].text").
func field(name string) chromedp.CSS {
	return chromedp.CSS(fmt.Sprintf("[name=%q]", name))
}

// typeInto empties the named field and types text into it with the
// keyboard.
func (tb *tab) typeInto(name, text string) {
	tb.t.Helper()
	tb.setValue(name, "")
	tb.run("type into "+name, chromedp.SendKeys(field(name), text))
}

// choose picks an option of the named select by its value.
func (tb *tab) choose(name, value string) {
	tb.t.Helper()
	tb.setValue(name, value)
}

// setValue sets a control's value as a change by the person would, events
// included, and fails when the control does not take it (a select without
// that option).
func (tb *tab) setValue(name, value string) {
	tb.t.Helper()
	js := `(() => { const el = document.querySelector(` + jsString(string(field(name))) + `);
		if (!el) return "missing";
		el.value = ` + jsString(value) + `;
		el.dispatchEvent(new Event("input", {bubbles: true}));
		el.dispatchEvent(new Event("change", {bubbles: true}));
		return el.value === ` + jsString(value) + ` ? "ok" : "refused"; })()`
	got, err := chromedp.Run(tb.ctx, chromedp.Evaluate[string](js))
	if err != nil || got != "ok" {
		tb.fail("set "+name+" to "+value, fmt.Errorf("%s %v", got, err))
	}
}

// pressAndWait presses a key with modifiers in the element and waits for
// the page it leads to, returning that page's HTTP status.
func (tb *tab) pressAndWait(sel chromedp.CSS, key string, mods ...chromedp.Modifier) int {
	tb.t.Helper()
	res, err := chromedp.RunResponse(tb.ctx,
		chromedp.Focus(sel),
		chromedp.KeyEvent(key, chromedp.KeyModifiers(mods...)),
	)
	if err != nil {
		tb.fail(fmt.Sprintf("press %q in %s", key, sel), err)
	}
	return int(res.Status)
}

// saveWithShortcut saves the editor form with Ctrl+Enter from the field.
func (tb *tab) saveWithShortcut(name string) int {
	tb.t.Helper()
	return tb.pressAndWait(field(name), "\r", chromedp.ModifierCtrl)
}

// activate presses Enter on a button, as a keyboard user does.
func (tb *tab) activate(sel string) int {
	tb.t.Helper()
	return tb.pressAndWait(chromedp.CSS(sel), "\r")
}

// signIn logs in with the keyboard only: type the name, Tab to the
// password, type it and press Enter.
func (tb *tab) signIn(name string) {
	tb.t.Helper()
	tb.open("/login")
	tb.run("type name", chromedp.SendKeys(chromedp.CSS("#login-name"), name+"\t"))
	focused, err := chromedp.Run(tb.ctx, chromedp.Evaluate[string](`document.activeElement.id`))
	if err != nil || focused != "login-password" {
		tb.t.Fatalf("Tab from the name went to %q, not the password (%v)", focused, err)
	}
	if status := tb.pressAndWaitTyping("#login-password", password); status != 200 {
		tb.t.Fatalf("sign in as %s: status %d", name, status)
	}
	if strings.HasPrefix(tb.location(), "/login") {
		tb.t.Fatalf("still on the login page after signing in as %s: %s", name, tb.text("main"))
	}
}

// pressAndWaitTyping types text and Enter into the element and waits for
// the page the form submission leads to.
func (tb *tab) pressAndWaitTyping(sel, text string) int {
	tb.t.Helper()
	res, err := chromedp.RunResponse(tb.ctx, chromedp.SendKeys(chromedp.CSS(sel), text+"\r"))
	if err != nil {
		tb.fail("type and press Enter in "+sel, err)
	}
	return int(res.Status)
}

// tabsTo counts the Tab presses from the top of the page to the element,
// failing when it is not reached: the element is usable by keyboard.
func (tb *tab) tabsTo(sel string, limit int) int {
	tb.t.Helper()
	if _, err := chromedp.Run(tb.ctx, chromedp.Evaluate[any](
		`document.activeElement && document.activeElement.blur(), null`)); err != nil {
		tb.fail("blur", err)
	}
	for n := 1; n <= limit; n++ {
		tb.run("press Tab", chromedp.KeyEvent("\t"))
		hit, err := chromedp.Run(tb.ctx, chromedp.Evaluate[bool](
			`document.activeElement === document.querySelector(`+jsString(sel)+`)`))
		if err != nil {
			tb.fail("read focus", err)
		}
		if hit {
			return n
		}
	}
	tb.t.Fatalf("%s not reached with %d presses of Tab", sel, limit)
	return 0
}

// jsString quotes s as a JavaScript string literal.
func jsString(s string) string { return strconv.Quote(s) }
