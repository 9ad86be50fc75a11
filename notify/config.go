package notify

import (
	"bytes"
	"errors"
	"fmt"
	"io"
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
	root, err := document(data, name)
	if err != nil {
		return nil, err
	}
	if root == nil {
		return map[string]Channel{}, nil
	}
	rd := &reader{name: name, getenv: getenv}
	top, err := rd.mapping(root, "", topKeys)
	if err != nil {
		return nil, err
	}
	out := map[string]Channel{}
	e, ok := top["channels"]
	if !ok || isNull(e.value) {
		return out, nil
	}
	if e.value.Kind != yaml.MappingNode {
		return nil, rd.fail(e.value, "channels", "expected a channel name and its keys, "+
			"found %s", describe(e.value))
	}
	for i := 0; i+1 < len(e.value.Content); i += 2 {
		k, v := e.value.Content[i], e.value.Content[i+1]
		if k.Kind != yaml.ScalarNode || !reChannelName.MatchString(k.Value) {
			return nil, rd.fail(k, "channels", "%s is not a channel name: use letters, "+
				"digits, '-', '_' and '.', up to 64", describe(k))
		}
		path := "channels." + k.Value
		if _, dup := out[k.Value]; dup {
			return nil, rd.fail(k, path, "given twice")
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
	name   string
	getenv func(string) string
}

// fail returns a KindInvalid error about the node at path:
// "notify.yaml line 7: channels.mail.tls: "ssl" is not a TLS mode ...".
func (rd *reader) fail(n *yaml.Node, path, format string, args ...any) error {
	where := fmt.Sprintf("%s line %d", rd.name, n.Line)
	if path != "" {
		where += ": " + path
	}
	return &debrief.Error{Kind: debrief.KindInvalid, Field: path,
		Message: where + ": " + fmt.Sprintf(format, args...)}
}

type entry struct{ key, value *yaml.Node }

// mapping reads a mapping whose keys must be among known.
func (rd *reader) mapping(n *yaml.Node, path string, known []string) (map[string]entry, error) {
	if n.Kind != yaml.MappingNode {
		return nil, rd.fail(n, path, "expected keys (%s), found %s",
			strings.Join(known, ", "), describe(n))
	}
	m := make(map[string]entry, len(n.Content)/2)
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Kind != yaml.ScalarNode {
			return nil, rd.fail(k, path, "a key must be a plain word, found %s", describe(k))
		}
		kp := join(path, k.Value)
		if !slices.Contains(known, k.Value) {
			return nil, rd.fail(k, kp, "unknown key; the keys here are %s",
				strings.Join(known, ", "))
		}
		if prev, dup := m[k.Value]; dup {
			return nil, rd.fail(k, kp, "given twice (first on line %d)", prev.key.Line)
		}
		m[k.Value] = entry{k, v}
	}
	return m, nil
}

func join(parent, key string) string {
	if parent == "" {
		return key
	}
	return parent + "." + key
}

// channel reads one channel's keys, which depend on its type.
func (rd *reader) channel(n *yaml.Node, path, name string) (Channel, error) {
	var all []string
	for _, t := range channelTypes {
		all = append(all, channelKeys[t]...)
	}
	slices.Sort(all)
	m, err := rd.mapping(n, path, slices.Compact(all))
	if err != nil {
		return nil, err
	}
	t, ok := m["type"]
	if !ok {
		return nil, rd.fail(n, path, "has no type: give type: %s",
			strings.Join(channelTypes, ", type: "))
	}
	typ, err := rd.text(t.value, path+".type")
	if err != nil {
		return nil, err
	}
	keys, ok := channelKeys[typ]
	if !ok {
		return nil, rd.fail(t.value, path+".type", "%q is not a channel type: the types "+
			"are %s", typ, strings.Join(channelTypes, ", "))
	}
	for k, e := range m {
		if !slices.Contains(keys, k) {
			return nil, rd.fail(e.key, join(path, k), "is not a key of a %s channel; its "+
				"keys are %s", typ, strings.Join(keys, ", "))
		}
	}
	var timeout time.Duration
	if e, ok := m["timeout"]; ok {
		if timeout, err = rd.duration(e.value, path+".timeout"); err != nil {
			return nil, err
		}
	}
	if typ == "email" {
		return rd.mailer(m, n, path, name, timeout)
	}
	return rd.webhook(m, n, path, name, typ, timeout)
}

func (rd *reader) webhook(m map[string]entry, n *yaml.Node, path, name, typ string,
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
		return nil, rd.fail(at.value, join(path, at.key.Value), "the URL %v", err)
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

func (rd *reader) mailer(m map[string]entry, n *yaml.Node, path, name string,
	timeout time.Duration) (Channel, error) {
	ml := &Mailer{Name: name, Timeout: timeout}
	var err error
	if ml.Addr, err = rd.required(m, n, path, "addr"); err != nil {
		return nil, err
	}
	host, port, err := net.SplitHostPort(ml.Addr)
	if p, perr := strconv.Atoi(port); err != nil || host == "" || perr != nil ||
		p < 1 || p > 65535 {
		return nil, rd.fail(m["addr"].value, path+".addr", "%q is not host:port, as in "+
			"smtp.example.com:587", ml.Addr)
	}
	if ml.From, err = rd.required(m, n, path, "from"); err != nil {
		return nil, err
	}
	if _, err := parseAddress(ml.From); err != nil {
		return nil, rd.fail(m["from"].value, path+".from", "%q %v", ml.From, err)
	}
	if e, ok := m["tls"]; ok {
		s, err := rd.text(e.value, path+".tls")
		if err != nil {
			return nil, err
		}
		if ml.TLS, err = ParseTLSMode(s); err != nil {
			return nil, rd.fail(e.value, path+".tls", "%v", err)
		}
	}
	if e, ok := m["local_name"]; ok {
		if ml.LocalName, err = rd.text(e.value, path+".local_name"); err != nil {
			return nil, err
		}
		if !reDomain.MatchString(ml.LocalName) {
			return nil, rd.fail(e.value, path+".local_name", "%q is not a host name",
				ml.LocalName)
		}
	}
	return ml, rd.login(ml, m, n, path, host)
}

// login reads the user name and password, which come together, and
// refuses a password that would cross the network unencrypted.
func (rd *reader) login(ml *Mailer, m map[string]entry, n *yaml.Node, path,
	host string) error {
	var err error
	if ml.Username, _, err = rd.secret(m, n, path, "username", false); err != nil {
		return err
	}
	var at entry
	if ml.Password, at, err = rd.secret(m, n, path, "password", false); err != nil {
		return err
	}
	switch {
	case ml.Username == "" && at.key != nil:
		return rd.fail(at.key, join(path, at.key.Value), "a password without a username: "+
			"give username too")
	case ml.Username != "" && ml.Password == "":
		return rd.fail(n, path, "a username without a password: give password_env")
	case ml.Username != "" && ml.TLS == TLSNone && !isLoopback(host):
		return rd.fail(n, path, "tls: none would send the password to %s unencrypted: "+
			"use starttls or tls", host)
	}
	return nil
}

// required reads a key that must be there, as text.
func (rd *reader) required(m map[string]entry, n *yaml.Node, path, key string) (
	string, error) {
	e, ok := m[key]
	if !ok {
		return "", rd.fail(n, path, "has no %s", key)
	}
	return rd.text(e.value, join(path, key))
}

// secret reads a value given as key or as key_env, the name of an
// environment variable holding it, and returns it with the entry it came
// from. Neither the value nor, in errors, anything derived from it is
// shown.
func (rd *reader) secret(m map[string]entry, n *yaml.Node, path, key string,
	need bool) (string, entry, error) {
	direct, hasDirect := m[key]
	env, hasEnv := m[key+"_env"]
	switch {
	case hasDirect && hasEnv:
		return "", entry{}, rd.fail(env.key, join(path, key+"_env"), "given with %s: "+
			"give one of them", key)
	case hasDirect:
		if direct.value.Kind != yaml.ScalarNode || isNull(direct.value) ||
			strings.TrimSpace(direct.value.Value) == "" {
			return "", entry{}, rd.fail(direct.value, join(path, key), "expected a value")
		}
		return strings.TrimSpace(direct.value.Value), direct, nil
	case hasEnv:
		p := join(path, key+"_env")
		name, err := rd.text(env.value, p)
		if err != nil {
			return "", entry{}, err
		}
		if !reEnvName.MatchString(name) {
			return "", entry{}, rd.fail(env.value, p, "%q is not the name of an "+
				"environment variable", name)
		}
		v := strings.TrimSpace(rd.getenv(name))
		if v == "" {
			return "", entry{}, rd.fail(env.value, p, "the environment variable %s is "+
				"not set or empty", name)
		}
		return v, env, nil
	case need:
		return "", entry{}, rd.fail(n, path, "has no %s: give %s_env (or %s)", key, key, key)
	}
	return "", entry{}, nil
}

// text reads a non-empty scalar, trimmed.
func (rd *reader) text(n *yaml.Node, path string) (string, error) {
	if n.Kind != yaml.ScalarNode || isNull(n) {
		return "", rd.fail(n, path, "expected a value, found %s", describe(n))
	}
	s := strings.TrimSpace(n.Value)
	if s == "" {
		return "", rd.fail(n, path, "is empty")
	}
	return s, nil
}

// The shortest and longest time-outs a channel may have.
const (
	minTimeout = time.Second
	maxTimeout = 10 * time.Minute
)

// duration reads a time-out in Go's notation: "30s", "2m".
func (rd *reader) duration(n *yaml.Node, path string) (time.Duration, error) {
	s, err := rd.text(n, path)
	if err != nil {
		return 0, err
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0, rd.fail(n, path, "%q is not a duration such as 30s or 2m", s)
	}
	if d < minTimeout || d > maxTimeout {
		return 0, rd.fail(n, path, "%s is out of range: give %s to %s", d, minTimeout,
			maxTimeout)
	}
	return d, nil
}

var reYAMLLine = regexp.MustCompile(`^yaml: line ([0-9]+): `)

// document reads the file's one YAML document and returns its top node,
// or nil when the file holds nothing.
func document(data []byte, name string) (*yaml.Node, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); errors.Is(err, io.EOF) {
		return nil, nil
	} else if err != nil {
		return nil, yamlError(name, err)
	}
	var next yaml.Node
	if err := dec.Decode(&next); err == nil {
		return nil, debrief.Errorf(debrief.KindInvalid, "%s line %d: a second YAML "+
			"document: the channels are one document", name, next.Line)
	} else if !errors.Is(err, io.EOF) {
		return nil, yamlError(name, err)
	}
	if len(doc.Content) == 0 || isNull(doc.Content[0]) {
		return nil, nil
	}
	return doc.Content[0], nil
}

// yamlError rewrites the YAML library's "yaml: line 3: ..." as
// "notify.yaml line 3: not valid YAML: ...".
func yamlError(name string, err error) error {
	msg := err.Error()
	if m := reYAMLLine.FindStringSubmatch(msg); m != nil {
		return debrief.Errorf(debrief.KindInvalid, "%s line %s: not valid YAML: %s", name,
			m[1], msg[len(m[0]):])
	}
	return debrief.Errorf(debrief.KindInvalid, "%s: not valid YAML: %s", name,
		strings.TrimPrefix(msg, "yaml: "))
}

func isNull(n *yaml.Node) bool { return n.Kind == yaml.ScalarNode && n.Tag == "!!null" }

// describe names what a node holds, for an error that found the wrong one.
func describe(n *yaml.Node) string {
	switch {
	case n.Kind == yaml.MappingNode:
		return "keys"
	case n.Kind == yaml.SequenceNode:
		return "a list"
	case n.Kind == yaml.AliasNode:
		return fmt.Sprintf("the alias *%s (aliases are not read here: write the "+
			"value out)", n.Value)
	case isNull(n):
		return "nothing"
	}
	return fmt.Sprintf("%q", n.Value)
}
