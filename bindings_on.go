//go:build bindings

package main

// bindingsBuild makes the program write the frontend's bindings and exit (see writeBindings).
const bindingsBuild = true
