//go:build !production

package main

import "embed"

// Development builds serve the frontend from -assetdir or a dev server instead.
var assets embed.FS
