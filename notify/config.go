package notify

import (
	"net"
	"net/http"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/debrief-oss/debrief"
	"github.com/debrief-oss/debrief/internal/yamlnode"
)

// MaxConfigBytes is the largest channel configuration ParseChannels reads.
const MaxConfigBytes = 1 << 20

// The keys of a channel configuration, by where they appear. Every
// channel has a type and may have a timeout.
var (
	// The sections beside channels in debrief's configuration file are
	// read by their own packages (escalation, tracker).
	topKeys     = []string{"channels", "escalation", "teams", "trackers"}
	channelKeys = map[string][]string{
		"slack":   {"type", "timeout", "url", "url_env"},
		"webhook": {"type", "timeout", "url", "url_env", "secret", "secret_env"},
		"email": {"type", "timeout", "addr", "from", "tls", "username", "username_env",
			"password", "password_env", "local_name"},
	}
	channelTypes = []string{"email", "slack", "webhook"}
)

var (
	reChannelName = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$`)
	reEnvName     = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]{0,127}$`)
)

// ParseChannels reads the channels of a YAML configuration; name is the
// file's name for errors, and getenv looks up environment variables (nil
// means os.Getenv). The file's channels key names each channel; its other
// sections (escalation, teams, trackers) belong to other packages and are
// skipped here, and any other top-level key is refused:
//
//	channels:
//	  ops-slack: {type: slack, url_env: DEBRIEF_SLACK_OPS_URL}
//	  hooks:     {type: webhook, url: "https://hooks.example.com/debrief",
//	              secret_env: DEBRIEF_HOOK_SECRET}
//	  mail:      {type: email, addr: "smtp.example.com:587",
//	              from: debrief@example.com, tls: starttls, username: debrief,
//	              password_env: DEBRIEF_SMTP_PASSWORD}
//
// Secrets (a webhook's url and secret, an e-mail password) are best given
// as the name of an environment variable (url_env, secret_env,
// password_env); the value itself is read too. The channels are *Webhook
// and *Mailer values with Name set to their key.
//
// Unknown keys, keys given twice, aliases, a missing environment variable
// and values that do not read are refused with a KindInvalid error naming
// the file, the line and the key's path, and, for an environment variable,
// its name, never a secret's value.
func ParseChannels(data []byte, name string, getenv func(string) string) (
	map[string]Channel, error) {
	if len(data) > MaxConfigBytes {
		return nil, debrief.Errorf(debrief.KindInvalid, "%s: more than %d KiB; the limit "+
			"is %d KiB", name, MaxConfigBytes>>10, MaxConfigBytes>>10)
	}
	if getenv == nil {
		getenv = os.Getenv
	}
	rd := &reader{Reader: yamlnode.Reader{Name: name}, getenv: getenv}
	root, err := rd.Document(data, "the channels")
	if err != nil {
		return nil, err
	}
	if root == nil {
		return map[string]Channel{}, nil
	}
	top, err := rd.Mapping(root, "", topKeys)
	if err != nil {
		return nil, err
	}
	out := map[string]Channel{}
	e, ok := top["channels"]
	if !ok || yamlnode.IsNull(e.Value) {
		return out, nil
	}
	if e.Value.Kind != yaml.MappingNode {
		return nil, rd.Fail(e.Value, "channels", "expected a channel name and its keys, "+
			"found %s", yamlnode.Describe(e.Value))
	}
	for i := 0; i+1 < len(e.Value.Content); i += 2 {
		k, v := e.Value.Content[i], e.Value.Content[i+1]
		if k.Kind != yaml.ScalarNode || !reChannelName.MatchString(k.Value) {
			return nil, rd.Fail(k, "channels", "%s is not a channel name: use letters, "+
				"digits, '-', '_' and '.', up to 64", yamlnode.Describe(k))
		}
		path := "channels." + k.Value
		if _, dup := out[k.Value]; dup {
			return nil, rd.Fail(k, path, "given twice")
		}
		ch, err := rd.channel(v, path, k.Value)
		if err != nil {
			return nil, err
		}
		out[k.Value] = ch
	}
	return out, nil
}

// reader walks the YAML nodes by hand rather than decoding into structs,
// so that every error can name the line and the key's path, and so that
// unknown keys, duplicate keys and aliases are refused rather than
// ignored or expanded.
type reader struct {
	yamlnode.Reader
	getenv func(string) string
}

// channel reads one channel's keys, which depend on its type.
func (rd *reader) channel(n *yaml.Node, path, name string) (Channel, error) {
	var all []string
	for _, t := range channelTypes {
		all = append(all, channelKeys[t]...)
	}
	slices.Sort(all)
	m, err := rd.Mapping(n, path, slices.Compact(all))
	if err != nil {
		return nil, err
	}
	t, ok := m["type"]
	if !ok {
		return nil, rd.Fail(n, path, "has no type: give type: %s",
			strings.Join(channelTypes, ", type: "))
	}
	typ, err := rd.Text(t.Value, path+".type")
	if err != nil {
		return nil, err
	}
	keys, ok := channelKeys[typ]
	if !ok {
		return nil, rd.Fail(t.Value, path+".type", "%q is not a channel type: the types "+
			"are %s", typ, strings.Join(channelTypes, ", "))
	}
	for k, e := range m {
		if !slices.Contains(keys, k) {
			return nil, rd.Fail(e.Key, yamlnode.Join(path, k), "is not a key of a %s channel; its "+
				"keys are %s", typ, strings.Join(keys, ", "))
		}
	}
	var timeout time.Duration
	if e, ok := m["timeout"]; ok {
		if timeout, err = rd.duration(e.Value, path+".timeout"); err != nil {
			return nil, err
		}
	}
	if typ == "email" {
		return rd.mailer(m, n, path, name, timeout)
	}
	return rd.webhook(m, n, path, name, typ, timeout)
}

func (rd *reader) webhook(m map[string]yamlnode.Entry, n *yaml.Node, path, name, typ string,
	timeout time.Duration) (Channel, error) {
	w := &Webhook{Name: name, Format: FormatJSON}
	if typ == "slack" {
		w.Format = FormatSlack
	}
	u, at, err := rd.secret(m, n, path, "url", true)
	if err != nil {
		return nil, err
	}
	if _, err := checkURL(u); err != nil {
		return nil, rd.Fail(at.Value, yamlnode.Join(path, at.Key.Value), "the URL %v", err)
	}
	w.URL = u
	if w.Secret, _, err = rd.secret(m, n, path, "secret", false); err != nil {
		return nil, err
	}
	if timeout > 0 {
		w.Client = &http.Client{Timeout: timeout, CheckRedirect: defaultClient.CheckRedirect}
	}
	return w, nil
}

func (rd *reader) mailer(m map[string]yamlnode.Entry, n *yaml.Node, path, name string,
	timeout time.Duration) (Channel, error) {
	ml := &Mailer{Name: name, Timeout: timeout}
	var err error
	if ml.Addr, err = rd.required(m, n, path, "addr"); err != nil {
		return nil, err
	}
	host, port, err := net.SplitHostPort(ml.Addr)
	if p, perr := strconv.Atoi(port); err != nil || host == "" || perr != nil ||
		p < 1 || p > 65535 {
		return nil, rd.Fail(m["addr"].Value, path+".addr", "%q is not host:port, as in "+
			"smtp.example.com:587", ml.Addr)
	}
	if ml.From, err = rd.required(m, n, path, "from"); err != nil {
		return nil, err
	}
	if _, err := parseAddress(ml.From); err != nil {
		return nil, rd.Fail(m["from"].Value, path+".from", "%q %v", ml.From, err)
	}
	if e, ok := m["tls"]; ok {
		s, err := rd.Text(e.Value, path+".tls")
		if err != nil {
			return nil, err
		}
		if ml.TLS, err = ParseTLSMode(s); err != nil {
			return nil, rd.Fail(e.Value, path+".tls", "%v", err)
		}
	}
	if e, ok := m["local_name"]; ok {
		if ml.LocalName, err = rd.Text(e.Value, path+".local_name"); err != nil {
			return nil, err
		}
		if !reDomain.MatchString(ml.LocalName) {
			return nil, rd.Fail(e.Value, path+".local_name", "%q is not a host name",
				ml.LocalName)
		}
	}
	return ml, rd.login(ml, m, n, path, host)
}

// login reads the user name and password, which come together, and
// refuses a password that would cross the network unencrypted.
func (rd *reader) login(ml *Mailer, m map[string]yamlnode.Entry, n *yaml.Node, path,
	host string) error {
	var err error
	if ml.Username, _, err = rd.secret(m, n, path, "username", false); err != nil {
		return err
	}
	var at yamlnode.Entry
	if ml.Password, at, err = rd.secret(m, n, path, "password", false); err != nil {
		return err
	}
	switch {
	case ml.Username == "" && at.Key != nil:
		return rd.Fail(at.Key, yamlnode.Join(path, at.Key.Value), "a password without a username: "+
			"give username too")
	case ml.Username != "" && ml.Password == "":
		return rd.Fail(n, path, "a username without a password: give password_env")
	case ml.Username != "" && ml.TLS == TLSNone && !isLoopback(host):
		return rd.Fail(n, path, "tls: none would send the password to %s unencrypted: "+
			"use starttls or tls", host)
	}
	return nil
}

// required reads a key that must be there, as text.
func (rd *reader) required(m map[string]yamlnode.Entry, n *yaml.Node, path, key string) (
	string, error) {
	e, ok := m[key]
	if !ok {
		return "", rd.Fail(n, path, "has no %s", key)
	}
	return rd.Text(e.Value, yamlnode.Join(path, key))
}

// secret reads a value given as key or as key_env, the name of an
// environment variable holding it, and returns it with the entry it came
// from. Neither the value nor, in errors, anything derived from it is
// shown.
func (rd *reader) secret(m map[string]yamlnode.Entry, n *yaml.Node, path, key string,
	need bool) (string, yamlnode.Entry, error) {
	direct, hasDirect := m[key]
	env, hasEnv := m[key+"_env"]
	switch {
	case hasDirect && hasEnv:
		return "", yamlnode.Entry{}, rd.Fail(env.Key, yamlnode.Join(path, key+"_env"), "given with %s: "+
			"give one of them", key)
	case hasDirect:
		if direct.Value.Kind != yaml.ScalarNode || yamlnode.IsNull(direct.Value) ||
			strings.TrimSpace(direct.Value.Value) == "" {
			return "", yamlnode.Entry{}, rd.Fail(direct.Value, yamlnode.Join(path, key), "expected a value")
		}
		return strings.TrimSpace(direct.Value.Value), direct, nil
	case hasEnv:
		p := yamlnode.Join(path, key+"_env")
		name, err := rd.Text(env.Value, p)
		if err != nil {
			return "", yamlnode.Entry{}, err
		}
		if !reEnvName.MatchString(name) {
			return "", yamlnode.Entry{}, rd.Fail(env.Value, p, "%q is not the name of an "+
				"environment variable", name)
		}
		v := strings.TrimSpace(rd.getenv(name))
		if v == "" {
			return "", yamlnode.Entry{}, rd.Fail(env.Value, p, "the environment variable %s is "+
				"not set or empty", name)
		}
		return v, env, nil
	case need:
		return "", yamlnode.Entry{}, rd.Fail(n, path, "has no %s: give %s_env (or %s)", key, key, key)
	}
	return "", yamlnode.Entry{}, nil
}

// The shortest and longest time-outs a channel may have.
const (
	minTimeout = time.Second
	maxTimeout = 10 * time.Minute
)

// duration reads a time-out in Go's notation: "30s", "2m".
func (rd *reader) duration(n *yaml.Node, path string) (time.Duration, error) {
	s, err := rd.Text(n, path)
	if err != nil {
		return 0, err
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0, rd.Fail(n, path, "%q is not a duration such as 30s or 2m", s)
	}
	if d < minTimeout || d > maxTimeout {
		return 0, rd.Fail(n, path, "%s is out of range: give %s to %s", d, minTimeout,
			maxTimeout)
	}
	return d, nil
}
