package main

import (
	"time"

	"github.com/spf13/pflag"

	"github.com/mkos/mkos/kernel/watchdog"
)

// watchdogHelp is the --watchdog flag's help, and the paragraph the
// commands' help gives it.
const watchdogHelp = "host time a task may run without a system call before the run is stopped (mkos exits with status 4); 0 turns the watchdog off"

// addWatchdogFlag adds --watchdog DURATION to a command's flags.
func addWatchdogFlag(fl *pflag.FlagSet, f *runFlags) {
	fl.DurationVar(&f.watchdog, "watchdog", time.Duration(watchdog.Default), watchdogHelp)
}
