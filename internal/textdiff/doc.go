// Package textdiff says where two texts first differ, for tests that
// compare a transcript with the one a reference tool printed.
//
// Imports: the standard library only.
package textdiff
