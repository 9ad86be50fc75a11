package tracker

import (
	"fmt"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/debrief-oss/debrief"
	"github.com/debrief-oss/debrief/internal/yamlnode"
)

// Config is the trackers section of debrief's configuration: the
// trackers to sync with and their webhook secrets.
type Config struct {
	// Jira is nil when trackers.jira is absent.
	Jira *Jira
	// GitHub is nil when trackers.github is absent.
	GitHub *GitHub
	// JiraWebhookSecret checks Jira's webhooks; "" when none is set, and
	// then every Jira webhook is refused (statuses are still polled).
	JiraWebhookSecret Secret
	// GitHubWebhookSecret checks GitHub's webhooks, likewise.
	GitHubWebhookSecret Secret
}

// Clients lists the configured trackers.
func (c *Config) Clients() []Client {
	var out []Client
	if c.Jira != nil {
		out = append(out, c.Jira)
	}
	if c.GitHub != nil {
		out = append(out, c.GitHub)
	}
	return out
}

// The environment variables credentials are read from when the
// configuration does not name others.
const (
	EnvJiraToken           = "DEBRIEF_JIRA_TOKEN"
	EnvJiraWebhookSecret   = "DEBRIEF_JIRA_WEBHOOK_SECRET"
	EnvGitHubToken         = "DEBRIEF_GITHUB_TOKEN"
	EnvGitHubWebhookSecret = "DEBRIEF_GITHUB_WEBHOOK_SECRET"
)

var (
	trackersKeys = []string{"jira", "github"}
	jiraKeys     = []string{"url", "api", "project", "issue_type", "email", "token_env",
		"webhook_secret_env", "statuses"}
	githubKeys = []string{"url", "repo", "token_env", "webhook_secret_env", "statuses"}
	stateKeys  = []string{"open", "in_progress", "blocked", "done"}

	reEnvName     = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]{0,127}$`)
	reJiraProject = regexp.MustCompile(`^[A-Z][A-Z0-9_]{0,49}$`)
)

// ParseConfig reads the trackers section of a YAML document:
//
//	trackers:
//	  jira: {url: https://acme.atlassian.net, api: 3, project: OPS, ...}
//	  github: {url: https://api.github.com, repo: acme/ops, ...}
//
// Other top-level keys belong to other sections and are left alone; a
// document without trackers configures none. Within the section, an
// unknown key, a wrong value or a credential missing from the
// environment is a KindInvalid error naming the file (name), the line
// and the key. Tokens and webhook secrets are read with getenv (nil
// means os.Getenv) from the variables the section names, never from
// the file itself. Errors never hold a credential.
func ParseConfig(data []byte, name string, getenv func(string) string) (*Config, error) {
	if getenv == nil {
		getenv = os.Getenv
	}
	rd := &confReader{Reader: yamlnode.Reader{Name: name}, getenv: getenv}
	top, err := rd.Document(data, "debrief's configuration")
	if err != nil || top == nil {
		return &Config{}, err
	}
	if top.Kind != yaml.MappingNode {
		return nil, rd.Fail(top, "", "expected keys such as trackers, found %s", yamlnode.Describe(top))
	}
	var section *yaml.Node
	for i := 0; i+1 < len(top.Content); i += 2 {
		if top.Content[i].Value == "trackers" {
			if section != nil {
				return nil, rd.Fail(top.Content[i], "trackers", "given twice")
			}
			section = top.Content[i+1]
		}
	}
	c := &Config{}
	if section == nil {
		return c, nil
	}
	m, err := rd.mapping(section, "trackers", trackersKeys)
	if err != nil {
		return nil, err
	}
	if e, ok := m["jira"]; ok {
		if c.Jira, c.JiraWebhookSecret, err = rd.jira(e.Value); err != nil {
			return nil, err
		}
	}
	if e, ok := m["github"]; ok {
		if c.GitHub, c.GitHubWebhookSecret, err = rd.github(e.Value); err != nil {
			return nil, err
		}
	}
	return c, nil
}

func (rd *confReader) jira(n *yaml.Node) (*Jira, Secret, error) {
	const path = "trackers.jira"
	m, err := rd.mapping(n, path, jiraKeys)
	if err != nil {
		return nil, "", err
	}
	if m == nil {
		return nil, "", rd.Fail(n, path, "give at least url, project and, for Cloud, email")
	}
	j := &Jira{IssueType: "Task"}
	if j.BaseURL, err = rd.url(m, n, path, ""); err != nil {
		return nil, "", err
	}
	j.API = 2
	if u, _ := url.Parse(j.BaseURL); strings.HasSuffix(u.Hostname(), ".atlassian.net") {
		j.API = 3
	}
	if e, ok := m["api"]; ok {
		s, err := rd.Text(e.Value, path+".api")
		if err != nil {
			return nil, "", err
		}
		if j.API, err = strconv.Atoi(s); err != nil || j.API != 2 && j.API != 3 {
			return nil, "", rd.Fail(e.Value, path+".api", "%q is not 3 (Cloud) or 2 "+
				"(Data Center)", s)
		}
	}
	if j.Project, err = rd.required(m, n, path, "project"); err != nil {
		return nil, "", err
	}
	if !reJiraProject.MatchString(j.Project) {
		return nil, "", rd.Fail(m["project"].Value, path+".project", "%q is not a Jira "+
			"project key such as OPS (capital letters, digits and _)", j.Project)
	}
	if e, ok := m["issue_type"]; ok {
		if j.IssueType, err = rd.Text(e.Value, path+".issue_type"); err != nil {
			return nil, "", err
		}
	}
	if e, ok := m["email"]; ok {
		if j.Email, err = rd.Text(e.Value, path+".email"); err != nil {
			return nil, "", err
		}
	}
	if j.API == 3 && j.Email == "" {
		return nil, "", rd.Fail(n, path, "Jira Cloud (api: 3) needs the email of the "+
			"account whose API token is used")
	}
	if j.Token, err = rd.secret(m, n, path, "token_env", EnvJiraToken, true); err != nil {
		return nil, "", err
	}
	hook, err := rd.secret(m, n, path, "webhook_secret_env", EnvJiraWebhookSecret, false)
	if err != nil {
		return nil, "", err
	}
	if j.Map, err = rd.statuses(m, path, DefaultJiraStatuses()); err != nil {
		return nil, "", err
	}
	return j, hook, nil
}

func (rd *confReader) github(n *yaml.Node) (*GitHub, Secret, error) {
	const path = "trackers.github"
	m, err := rd.mapping(n, path, githubKeys)
	if err != nil {
		return nil, "", err
	}
	if m == nil {
		return nil, "", rd.Fail(n, path, "give at least repo")
	}
	g := &GitHub{}
	if g.BaseURL, err = rd.url(m, n, path, githubDefaultURL); err != nil {
		return nil, "", err
	}
	repo, err := rd.required(m, n, path, "repo")
	if err != nil {
		return nil, "", err
	}
	var ok bool
	g.Owner, g.Repo, ok = strings.Cut(repo, "/")
	if !ok || !reGitHubName.MatchString(g.Owner) || !reGitHubName.MatchString(g.Repo) {
		return nil, "", rd.Fail(m["repo"].Value, path+".repo", "%q is not a repository "+
			"written owner/name, such as acme/ops", repo)
	}
	if g.Token, err = rd.secret(m, n, path, "token_env", EnvGitHubToken, true); err != nil {
		return nil, "", err
	}
	hook, err := rd.secret(m, n, path, "webhook_secret_env", EnvGitHubWebhookSecret, false)
	if err != nil {
		return nil, "", err
	}
	if g.Map, err = rd.statuses(m, path, DefaultGitHubStatuses()); err != nil {
		return nil, "", err
	}
	return g, hook, nil
}

// url reads a tracker's address; def is used when the key is absent, and
// "" makes it required.
func (rd *confReader) url(
	m map[string]yamlnode.Entry,
	n *yaml.Node,
	path, def string,
) (string, error) {
	e, ok := m["url"]
	if !ok && def != "" {
		return def, nil
	}
	s, err := rd.required(m, n, path, "url")
	if err != nil {
		return "", err
	}
	sys := SystemJira
	if path == "trackers.github" {
		sys = SystemGitHub
	}
	base, err := checkBase(sys, s)
	if err != nil {
		return "", rd.Fail(e.Value, path+".url", "%s", debrief.ErrorMessage(err))
	}
	return base, nil
}

// secret reads a credential from the environment variable that key
// names, or from def when the key is absent. A credential the file names
// a variable for must be there; a required one must be there anyway.
func (rd *confReader) secret(
	m map[string]yamlnode.Entry,
	n *yaml.Node,
	path, key, def string,
	required bool,
) (Secret, error) {
	kp := path + "." + key
	where, env := n, def
	if e, ok := m[key]; ok {
		where = e.Value
		if e.Value.Kind != yaml.ScalarNode || !reEnvName.MatchString(e.Value.Value) {
			// The value is not repeated: it may be the credential itself,
			// written where its variable's name belongs.
			return "", rd.Fail(e.Value, kp, "give the name of an environment variable, "+
				"such as %s, not the credential itself", def)
		}
		env, required = e.Value.Value, true
	}
	v := strings.TrimSpace(rd.getenv(env))
	if v == "" && required {
		return "", rd.Fail(where, kp, "the environment variable %s is not set or empty", env)
	}
	return Secret(v), nil
}

// statuses reads a team's status names over the default map:
//
//	statuses:
//	  blocked: [Blocked, Waiting for vendor]
//	  done: [Done, Deployed]
func (rd *confReader) statuses(
	m map[string]yamlnode.Entry,
	path string,
	def StatusMap,
) (StatusMap, error) {
	e, ok := m["statuses"]
	if !ok {
		return def, nil
	}
	sp := path + ".statuses"
	sm, err := rd.mapping(e.Value, sp, stateKeys)
	if err != nil {
		return StatusMap{}, err
	}
	own := map[debrief.ActionStatus][]string{}
	seen := map[string]string{}
	// In the file's order, so that a name listed twice is reported where
	// it is repeated.
	states := make([]string, 0, len(sm))
	for st := range sm {
		states = append(states, st)
	}
	slices.SortFunc(states, func(a, b string) int {
		ka, kb := sm[a].Key, sm[b].Key
		if ka.Line != kb.Line {
			return ka.Line - kb.Line
		}
		return ka.Column - kb.Column
	})
	for _, st := range states {
		se := sm[st]
		items := []*yaml.Node{se.Value}
		if se.Value.Kind == yaml.SequenceNode {
			items = se.Value.Content
		}
		for i, item := range items {
			ip := fmt.Sprintf("%s.%s[%d]", sp, st, i)
			name, err := rd.Text(item, ip)
			if err != nil {
				return StatusMap{}, err
			}
			if prev, dup := seen[statusKey(name)]; dup {
				return StatusMap{}, rd.Fail(item, ip, "%q is already listed under %s", name, prev)
			}
			seen[statusKey(name)] = st
			own[debrief.ActionStatus(st)] = append(own[debrief.ActionStatus(st)], name)
		}
	}
	return mergeStatuses(def, own), nil
}

// confReader walks the YAML nodes by hand, so that each error names the
// line and the key's path, and unknown or repeated keys are refused.
type confReader struct {
	yamlnode.Reader
	getenv func(string) string
}

// mapping reads a mapping whose keys must be among known; null is nil. A
// credential written in the file is refused before anything else, without
// repeating its value.
func (rd *confReader) mapping(
	n *yaml.Node,
	path string,
	known []string,
) (map[string]yamlnode.Entry, error) {
	if n.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := n.Content[i]
			if k.Kind == yaml.ScalarNode && (k.Value == "token" || k.Value == "webhook_secret") {
				return nil, rd.Fail(k, path+"."+k.Value, "credentials are not written in the "+
					"file: put it in an environment variable and name that with %s_env", k.Value)
			}
		}
	}
	return rd.Mapping(n, path, known)
}

func (rd *confReader) required(
	m map[string]yamlnode.Entry,
	n *yaml.Node,
	path, key string,
) (string, error) {
	e, ok := m[key]
	if !ok {
		return "", rd.Fail(n, path, "%s is missing", key)
	}
	return rd.Text(e.Value, path+"."+key)
}
