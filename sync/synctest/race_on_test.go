//go:build race

package synctest

// raceDetector is set when the tests run with -race, which makes every connection many times
// dearer: the heaviest tests scale their rounds down.
const raceDetector = true
