package web

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/debrief-oss/debrief"
)

// pager describes one page of a longer list and links to its neighbours.
// The links keep every other query parameter, so filters survive paging.
type pager struct {
	Page, Pages int
	Total       int
	From, To    int // 1-based positions of the first and last row shown
	PrevURL     string
	NextURL     string

	// PastEnd is set for a page after the last one, as an old bookmark or
	// a narrowed filter can ask for; LastURL leads back to the last page.
	PastEnd  bool
	LastPage int
	LastURL  string
}

func newPager(path string, q url.Values, page, size, total int) pager {
	p := pager{Page: page, Total: total, Pages: (total + size - 1) / size}
	if last := max(p.Pages, 1); page > last {
		p.PastEnd, p.LastPage, p.LastURL = true, last, pageURL(path, q, last)
		return p
	}
	if total == 0 {
		return p
	}

	p.From = (page-1)*size + 1
	p.To = min(page*size, total)
	if page > 1 {
		p.PrevURL = pageURL(path, q, page-1)
	}
	if page < p.Pages {
		p.NextURL = pageURL(path, q, page+1)
	}
	return p
}

// pageStatus is 404 for a page past the end: the page still shows the
// filters and a way back, but there is nothing at this address.
func pageStatus(p pager) int {
	if p.PastEnd {
		return http.StatusNotFound
	}
	return http.StatusOK
}

func pageURL(path string, q url.Values, page int) string {
	v := url.Values{}
	for k, vals := range q {
		for _, val := range vals {
			if val != "" && k != "page" {
				v.Add(k, val)
			}
		}
	}
	if page > 1 {
		v.Set("page", strconv.Itoa(page))
	}
	if len(v) == 0 {
		return path
	}
	return path + "?" + v.Encode()
}

// parsePageNumber reads the 1-based page number; absent means the first page.
func parsePageNumber(q url.Values) (int, error) {
	raw := q.Get("page")
	if raw == "" {
		return 1, nil
	}
	n, err := strconv.Atoi(raw)
	if err != nil || n < 1 || n > 1_000_000 {
		return 0, debrief.Errorf(debrief.KindInvalid, "The page number must be a positive number.")
	}
	return n, nil
}

// selectField is a <select> of a filter form, built from facet counts.
type selectField struct {
	Name    string // the query parameter
	Label   string
	AnyText string // the label of the empty option: "All services"
	Options []selectOption
}

type selectOption struct {
	Value    string
	Label    string
	Selected bool
}

// facetSelect builds a filter select from facet counts. A selected value
// that no report has any longer is still offered, so the form shows the
// filter that produced the empty result instead of silently dropping it.
func facetSelect(name, label, anyText string, counts []debrief.FacetCount, cur string) selectField {
	f := selectField{Name: name, Label: label, AnyText: anyText}
	found := false
	for _, c := range counts {
		sel := c.Value == cur
		found = found || sel
		f.Options = append(f.Options, selectOption{
			Value:    c.Value,
			Label:    c.Value + " (" + strconv.Itoa(c.Count) + ")",
			Selected: sel,
		})
	}
	if cur != "" && !found {
		f.Options = append(f.Options, selectOption{Value: cur, Label: cur + " (0)", Selected: true})
	}
	return f
}
