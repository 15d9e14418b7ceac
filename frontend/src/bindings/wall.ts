import * as Wall from './wailsjs/go/app/Wall'
import { guard } from './call'

// The wall's board (app/wall.go).

export const GetBoard = guard(Wall.Board)
