package notify

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/debrief-oss/debrief"
)

func env(vars map[string]string) func(string) string {
	return func(name string) string { return vars[name] }
}

const exampleConfig = `# Who debrief can tell, and how.
channels:
  ops-slack: {type: slack, url_env: DEBRIEF_SLACK_OPS_URL}
  hooks:
    type: webhook
    url: https://hooks.example.com/debrief
    secret_env: DEBRIEF_HOOK_SECRET
    timeout: 10s
  mail:
    type: email
    addr: smtp.example.com:587
    from: debrief <debrief@example.com>
    tls: starttls
    username: debrief
    password_env: DEBRIEF_SMTP_PASSWORD
    local_name: debrief.example.com
  relay: {type: email, addr: "127.0.0.1:25", from: debrief@example.com, tls: none}
`

func TestParseChannels(t *testing.T) {
	got, err := ParseChannels([]byte(exampleConfig), "notify.yaml", env(map[string]string{
		"DEBRIEF_SLACK_OPS_URL": "https://hooks.slack.com/services/T0/B0/XYZ",
		"DEBRIEF_HOOK_SECRET":   "hook-secret",
		"DEBRIEF_SMTP_PASSWORD": "smtp-secret",
	}))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]Channel{
		"ops-slack": &Webhook{Name: "ops-slack", Format: FormatSlack,
			URL: "https://hooks.slack.com/services/T0/B0/XYZ"},
		"hooks": &Webhook{Name: "hooks", URL: "https://hooks.example.com/debrief",
			Secret: "hook-secret"},
		"mail": &Mailer{Name: "mail", Addr: "smtp.example.com:587",
			From: "debrief <debrief@example.com>", TLS: TLSStartTLS, Username: "debrief",
			Password: "smtp-secret", LocalName: "debrief.example.com"},
		"relay": &Mailer{Name: "relay", Addr: "127.0.0.1:25", From: "debrief@example.com",
			TLS: TLSNone},
	}
	if diff := cmp.Diff(want, got, cmpopts.IgnoreFields(Webhook{}, "Client")); diff != "" {
		t.Errorf("channels (-want +got):\n%s", diff)
	}
	if c := got["hooks"].(*Webhook).Client; c == nil || c.Timeout != 10*time.Second {
		t.Errorf("the hooks channel's client %+v, want a 10s time-out", c)
	}
}

// The file's other sections belong to other packages, which read them
// with their own rules; here they are skipped, whatever they hold.
func TestParseChannelsSkipsOtherSections(t *testing.T) {
	in := "escalation: {steps: [odd, {x: y}]}\nteams: 3\ntrackers:\n" +
		"channels:\n  relay: {type: email, addr: '127.0.0.1:25', from: d@example.com, " +
		"tls: none}\n"
	got, err := ParseChannels([]byte(in), "debrief.yaml", env(nil))
	if err != nil || len(got) != 1 || got["relay"] == nil {
		t.Errorf("channels %v, error %v; want the relay channel", got, err)
	}
}

func TestParseChannelsEmpty(t *testing.T) {
	for _, in := range []string{"", "# nothing yet\n", "channels:\n"} {
		got, err := ParseChannels([]byte(in), "notify.yaml", env(nil))
		if err != nil || len(got) != 0 {
			t.Errorf("%q: %v, %v; want no channels and no error", in, got, err)
		}
	}
}

func TestParseChannelsErrors(t *testing.T) {
	vars := env(map[string]string{"SET": "https://hooks.slack.com/services/T0/B0/TOPSECRET",
		"PW": "TOPSECRET"})
	tests := []struct{ name, in, want string }{
		{"unknown top key", "channel:\n  a: {type: slack}\n",
			"notify.yaml line 1: channel: unknown key; the keys here are channels"},
		{"no type", "channels:\n  a: {url: https://x.example}\n",
			"notify.yaml line 2: channels.a: has no type"},
		{"unknown type", "channels:\n  a: {type: sms}\n",
			`notify.yaml line 2: channels.a.type: "sms" is not a channel type`},
		{"key of another type", "channels:\n  a:\n    type: slack\n    url_env: SET\n" +
			"    secret: x\n",
			"notify.yaml line 5: channels.a.secret: is not a key of a slack channel"},
		{"unknown key", "channels:\n  a: {type: slack, url_env: SET, colour: red}\n",
			"notify.yaml line 2: channels.a.colour: unknown key"},
		{"key twice", "channels:\n  a:\n    type: slack\n    type: slack\n",
			"notify.yaml line 4: channels.a.type: given twice (first on line 3)"},
		{"channel twice", "channels:\n  a: {type: slack, url_env: SET}\n" +
			"  a: {type: slack, url_env: SET}\n", "notify.yaml line 3: channels.a: given twice"},
		{"missing variable", "channels:\n  a: {type: slack, url_env: DEBRIEF_SLACK_URL}\n",
			"notify.yaml line 2: channels.a.url_env: the environment variable " +
				"DEBRIEF_SLACK_URL is not set or empty"},
		{"url and url_env", "channels:\n  a: {type: slack, url: https://x.example, " +
			"url_env: SET}\n", "channels.a.url_env: given with url"},
		{"no url", "channels:\n  a: {type: webhook}\n", "channels.a: has no url"},
		{"bad url from env", "channels:\n  a: {type: webhook, url_env: PW}\n",
			"channels.a.url_env: the URL does not start with https://"},
		{"bad channel name", "channels:\n  a b: {type: slack}\n", "is not a channel name"},
		{"alias", "channels:\n  a: &x {type: slack, url_env: SET}\n  b: *x\n",
			"line 3: channels.b: expected keys"},
		{"bad tls", "channels:\n  m: {type: email, addr: 'h.example:587', " +
			"from: d@example.com, tls: ssl}\n", `channels.m.tls: "ssl" is not a TLS mode`},
		{"bad addr", "channels:\n  m: {type: email, addr: smtp.example.com, " +
			"from: d@example.com}\n", "channels.m.addr: \"smtp.example.com\" is not host:port"},
		{"bad from", "channels:\n  m: {type: email, addr: 'h.example:587', from: debrief}\n",
			"channels.m.from:"},
		{"password in the clear", "channels:\n  m: {type: email, addr: 'h.example:25', " +
			"from: d@example.com, tls: none, username: u, password_env: PW}\n",
			"would send the password to h.example unencrypted"},
		{"username without password", "channels:\n  m: {type: email, " +
			"addr: 'h.example:587', from: d@example.com, username: u}\n",
			"a username without a password"},
		{"timeout", "channels:\n  a: {type: slack, url_env: SET, timeout: 2h}\n",
			"channels.a.timeout: 2h0m0s is out of range"},
		{"not YAML", "channels:\n  a: {type: slack\n", "not valid YAML"},
		{"two documents", "channels:\n---\nchannels:\n", "a second YAML document"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseChannels([]byte(tt.in), "notify.yaml", vars)
			if err == nil {
				t.Fatalf("no error; want %q", tt.want)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q\nwant it to say %q", err, tt.want)
			}
			if debrief.ErrorKind(err) != debrief.KindInvalid {
				t.Errorf("kind %v, want invalid", debrief.ErrorKind(err))
			}
			if strings.Contains(err.Error(), "TOPSECRET") {
				t.Errorf("the error shows a secret: %v", err)
			}
		})
	}
}
