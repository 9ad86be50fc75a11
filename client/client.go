// Package client calls a debrief server's JSON API (/api/v1) over HTTP, so
// that the command line and other Go programs can work with reports on a
// server as they do with a local store. Errors the server answers come back
// as *debrief.Error with the kind, message and field the server gave.
package client

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/debrief-oss/debrief"
	"github.com/debrief-oss/debrief/markdown"
)

// maxPage is the most rows the API returns at once.
const maxPage = 200

// Client calls one server with one API token. It is safe for concurrent use.
type Client struct {
	base  *url.URL
	token string
	http  *http.Client
}

// Option configures a Client.
type Option func(*Client)

// WithHTTPClient sets the HTTP client requests go through; the default has
// a one-minute timeout.
func WithHTTPClient(h *http.Client) Option {
	return func(c *Client) { c.http = h }
}

// New returns a client of the server at server ("https://debrief.example"),
// sending token as a bearer token. A server that is not an http or https
// URL is KindInvalid.
func New(server, token string, opts ...Option) (*Client, error) {
	u, err := url.Parse(strings.TrimSpace(server))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, debrief.Errorf(debrief.KindInvalid,
			"server %q is not an http:// or https:// address", server)
	}
	u.Path = strings.TrimSuffix(u.Path, "/")
	u.RawQuery, u.Fragment, u.User = "", "", nil
	c := &Client{base: u, token: token, http: &http.Client{Timeout: time.Minute}}
	for _, o := range opts {
		o(c)
	}
	return c, nil
}

// Postmortem returns the report with the ID. An ID no report can have is
// KindInvalid, refused before any request: "." or ".." would name another
// address once the path is cleaned.
func (c *Client) Postmortem(ctx context.Context, id string) (*debrief.Postmortem, error) {
	path, err := reportPath(id)
	if err != nil {
		return nil, err
	}
	var p debrief.Postmortem
	if _, err := c.do(ctx, "GET", path, nil, nil, "", &p); err != nil {
		return nil, err
	}
	return &p, nil
}

// reportPath is the API address of the report with the ID, which must be
// one debrief.ValidateID accepts.
func reportPath(id string) (string, error) {
	if err := debrief.ValidateID("report id", id); err != nil {
		return "", err
	}
	return "/api/v1/postmortems/" + url.PathEscape(id), nil
}

// page is one page of a list as the API answers it.
type page[T any] struct {
	Items []T `json:"items"`
	Total int `json:"total"`
}

// Postmortems lists report summaries matching the filter, and the number of
// matches, as debrief.PostmortemStore does: a Limit of zero or less lists
// them all, fetching as many pages as it takes.
func (c *Client) Postmortems(
	ctx context.Context,
	f debrief.PostmortemFilter,
) ([]debrief.PostmortemSummary, int, error) {
	q := url.Values{}
	set(q, "service", f.Service)
	set(q, "category", string(f.Category))
	set(q, "severity", string(f.Severity))
	set(q, "status", string(f.Status))
	set(q, "tag", f.Tag)
	set(q, "sort", f.Sort)
	if f.Year != 0 {
		q.Set("year", strconv.Itoa(f.Year))
	}
	return pages[debrief.PostmortemSummary](ctx, c, "/api/v1/postmortems", q, f.Limit, f.Offset)
}

// Search runs a full-text query. A Limit of zero or less returns every hit.
func (c *Client) Search(
	ctx context.Context,
	sq debrief.SearchQuery,
) (*debrief.SearchResult, error) {
	q := url.Values{"q": {sq.Text}}
	set(q, "service", sq.Service)
	set(q, "category", string(sq.Category))
	set(q, "severity", string(sq.Severity))
	found, total, err := pages[searchHit](ctx, c, "/api/v1/search", q, sq.Limit, sq.Offset)
	if err != nil {
		return nil, err
	}
	hits := make([]debrief.SearchHit, len(found))
	for i, h := range found {
		hits[i] = h.SearchHit
		hits[i].Snippet = markHighlights(h.Snippet, h.Highlights)
	}
	return &debrief.SearchResult{Hits: hits, Total: total}, nil
}

// searchHit is a hit as the API sends it: a plain snippet and where the
// matches are in it.
type searchHit struct {
	debrief.SearchHit
	Highlights [][]int `json:"highlights"`
}

// markHighlights wraps the highlighted runs of snippet in the markers a
// store's SearchHit carries, so a hit reads the same from a server as from
// a local database. Offsets that do not fit the text are left out.
func markHighlights(snippet string, highlights [][]int) string {
	var b strings.Builder
	at := 0
	for _, h := range highlights {
		if len(h) != 2 || h[0] < at || h[1] <= h[0] || h[1] > len(snippet) {
			continue
		}
		b.WriteString(snippet[at:h[0]])
		b.WriteString(debrief.HighlightStart + snippet[h[0]:h[1]] + debrief.HighlightEnd)
		at = h[1]
	}
	b.WriteString(snippet[at:])
	return b.String()
}

func set(q url.Values, key, value string) {
	if value != "" {
		q.Set(key, value)
	}
}

// pages fetches up to limit rows from offset (all when limit < 1), a page
// of at most maxPage at a time, and the total the server counts.
func pages[T any](
	ctx context.Context,
	c *Client,
	path string,
	q url.Values,
	limit, offset int,
) ([]T, int, error) {
	var all []T
	offset = max(offset, 0)
	for {
		size := maxPage
		if limit > 0 {
			size = min(maxPage, limit-len(all))
		}
		q.Set("limit", strconv.Itoa(size))
		q.Set("offset", strconv.Itoa(offset))
		var p page[T]
		if _, err := c.do(ctx, "GET", path, q, nil, "", &p); err != nil {
			return nil, 0, err
		}
		all = append(all, p.Items...)
		offset += len(p.Items)
		if len(p.Items) == 0 || offset >= p.Total || (limit > 0 && len(all) >= limit) {
			return all, p.Total, nil
		}
	}
}

// ImportResult is what the server did with an imported document.
type ImportResult struct {
	// Outcome is "created", "updated" or "unchanged".
	Outcome    string             `json:"outcome"`
	ID         string             `json:"id"`
	Title      string             `json:"title"`
	Version    int                `json:"version"`
	Recognised []string           `json:"recognised"`
	Warnings   []markdown.Warning `json:"warnings"`
}

// Import sends one Markdown document. source is where it was read from (an
// absolute path, as a local import keys it): it identifies a hand-written
// report across imports. The server decides, as a local import does,
// whether the document creates, updates or leaves its report.
func (c *Client) Import(ctx context.Context, source string, doc []byte) (*ImportResult, error) {
	var res ImportResult
	q := url.Values{"source": {source}}
	if _, err := c.do(ctx, "POST", "/api/v1/imports", q, doc, "text/markdown", &res); err != nil {
		return nil, err
	}
	return &res, nil
}

// Replace saves a whole new content for the report p.ID, based on
// p.Version: when someone saved since, nothing is saved and the error is
// KindConflict. On success p holds the report as stored.
func (c *Client) Replace(ctx context.Context, p *debrief.Postmortem) error {
	path, err := reportPath(p.ID)
	if err != nil {
		return err
	}
	body, err := json.Marshal(p)
	if err != nil {
		return err
	}
	h := http.Header{"If-Match": {strconv.Quote(strconv.Itoa(p.Version))}}
	_, err = c.send(ctx, "PUT", path, nil, body, "application/json", h, p)
	return err
}

func (c *Client) do(
	ctx context.Context,
	method, path string,
	q url.Values,
	body []byte,
	contentType string,
	out any,
) (http.Header, error) {
	return c.send(ctx, method, path, q, body, contentType, nil, out)
}

// send makes one request to path, escaped as it is to appear in the
// address, and decodes a successful JSON answer into out.
func (c *Client) send(
	ctx context.Context,
	method, path string,
	q url.Values,
	body []byte,
	contentType string,
	h http.Header,
	out any,
) (http.Header, error) {
	// path is escaped already (url.PathEscape of each id), so it goes into
	// RawPath: escaping it again would turn %2F into %252F.
	u := *c.base
	escaped := u.EscapedPath() + path
	unescaped, err := url.PathUnescape(escaped)
	if err != nil {
		return nil, fmt.Errorf("request path %q: %w", path, err)
	}
	u.Path, u.RawPath = unescaped, escaped
	u.RawQuery = q.Encode()
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, u.String(), rd)
	if err != nil {
		return nil, err
	}
	for k, v := range h {
		req.Header[k] = v
	}
	req.Header.Set("Accept", "application/json")
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}

	res, err := c.http.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, debrief.Errorf(debrief.KindInternal, "cannot reach the server at %s: %v",
			c.base.Host, unwrapURLError(err))
	}
	defer res.Body.Close()
	data, err := io.ReadAll(io.LimitReader(res.Body, 64<<20))
	if err != nil {
		return nil, fmt.Errorf("read the answer of %s %s: %w", method, path, err)
	}
	if res.StatusCode >= 300 {
		return res.Header, answerError(res, data)
	}
	if out != nil && len(data) > 0 {
		if err := json.Unmarshal(data, out); err != nil {
			return nil, fmt.Errorf("the server's answer to %s %s is not the JSON expected: %w",
				method, path, err)
		}
	}
	return res.Header, nil
}

// unwrapURLError drops the method and URL net/http puts in front of a
// transport error; the message names the server already.
func unwrapURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

// errorBody is the API's error answer.
type errorBody struct {
	Error struct {
		Code      string `json:"code"`
		Message   string `json:"message"`
		Field     string `json:"field"`
		RequestID string `json:"request_id"`
	} `json:"error"`
}

// kindByCode maps the API's error codes back to kinds.
var kindByCode = map[string]debrief.Kind{
	"invalid":                debrief.KindInvalid,
	"not_found":              debrief.KindNotFound,
	"conflict":               debrief.KindConflict,
	"unauthorized":           debrief.KindUnauthorized,
	"forbidden":              debrief.KindForbidden,
	"precondition_failed":    debrief.KindConflict,
	"precondition_required":  debrief.KindInvalid,
	"too_large":              debrief.KindInvalid,
	"unsupported_media_type": debrief.KindInvalid,
	"method_not_allowed":     debrief.KindInvalid,
}

// answerError turns an error answer into a *debrief.Error. An answer that
// is not the API's (a proxy's error page) is named by its status.
func answerError(res *http.Response, data []byte) error {
	var b errorBody
	if json.Unmarshal(data, &b) != nil || b.Error.Message == "" {
		return debrief.Errorf(debrief.KindInternal, "the server answered %s", res.Status)
	}
	kind, ok := kindByCode[b.Error.Code]
	if !ok {
		kind = debrief.KindInternal
	}
	msg := b.Error.Message
	if kind == debrief.KindInternal && b.Error.RequestID != "" {
		msg = fmt.Sprintf("the server failed (%s); request id %s", msg, b.Error.RequestID)
	}
	return &debrief.Error{Kind: kind, Message: msg, Field: b.Error.Field}
}
