// The web editor posts an input for every field of every row: the action
// items form with debrief.MaxListLen rows holds some 31,500 of them, more
// than the 10,000 that net/url reads by default, which would refuse a save
// the API takes. web's TestEditorFormLimitFitsTheWidestForm counts them.
//go:debug urlmaxqueryparams=40000

package main
