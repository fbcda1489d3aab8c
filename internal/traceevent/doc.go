// Package traceevent checks documents in the Chrome/Perfetto Trace Event
// Format the way Perfetto's JSON importer reads them, for tests of the
// exporter (kernel/tracefmt) and of whole runs (tests/): a reference model
// only tests use.
//
// Imports: the standard library only.
package traceevent
