package course

// testFileHashes are the SHA-256 sums of the test files the checks rely on,
// as the grader knows them. Regenerate with `go test ./lab/course -run
// Hashes -rewrite` after changing one of those tests, and review the diff.
var testFileHashes = map[string]string{
	"drivers/disk/driver_test.go":           "a8b0234d3507da77f9a22fb6fe27ce658b17c02acd1fd9b1a6c5e47af5550d2c",
	"drivers/disk/sched_driver_test.go":     "4adfc8e46486a917186f3f78df7d896dc7d276a353770e5931b08accce97fbd4",
	"drivers/disk/sched_test.go":            "897af0e622accc2dd4ea112a7f9686e597c538468c0943fabb05351049c4df7c",
	"internal/pcapstat/pcapstat_test.go":    "66afc90d2a80bad9ce6b98cd76a019a8d4fddd683a66a6ee97775fed3232767c",
	"kernel/mmu_test.go":                    "3558fe30438a3177917d4dabfb29401c7402220fd96fa8abfd85905e98fe5754",
	"kernel/sched_pi_test.go":               "baa41fff0c1f9ae43ff952fe8e766179527fc85badd55278082b7a4e95dfa323",
	"kernel/sched_test.go":                  "5743a9cc904e4914826bc2a6ad861b02d664238d267408fefd79eb3e93b282ae",
	"sched/conformance_test.go":             "2eaf6cf3bbe56145d54464206144fa3a4146bbfcd3f684eb4c34648fbacc2815",
	"sched/mlfq_test.go":                    "8ae87cc05c0abb560f3ac475c9176f09e13f89420572f6368dc5b2c87b449e8b",
	"servers/echo/hostile_test.go":          "baad45f75a7833efd82a2e6372f860fd5d4ef6508cdb1f644280fd0e4927b9aa",
	"servers/fs/crash_test.go":              "83f0c27b40ccb08dcae8debbad763c1ca0117149c9a30047714a62a8469b1f6e",
	"servers/fs/restart_test.go":            "b6648c764c494b7702abd01537a93e274238b1a1c07e6f9a382b5ab386ca14a1",
	"servers/mm/policy_conformance_test.go": "08a8fd7ae83dd7d2abb8424b82d216f34f0ce65dabd0afc81ee864e029d49190",
	"servers/mm/policy_test.go":             "02470447f7ce9c58cb830009be898a9af56e731e4bebf2d5c281397f9a9889c3",
	"servers/pm/restart_test.go":            "018ef3dfae0099fa5dbe984570a24fdc95ef72f8e16a09c384546604c8ded059",
	"servers/pm/spawn_test.go":              "e8b922a62a9f095291dff825d7c3548f5f81104047cea6b53b4a03de98f1080b",
}
