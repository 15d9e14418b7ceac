import { call } from './transport'
import type { Board } from './types'

export const GetBoard = (): Promise<Board> => call<Board>('Board')
