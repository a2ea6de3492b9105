// Starts GOV.UK Frontend's components. Every page works without JavaScript; this only enhances.
import { initAll } from '../build/govuk-frontend.min.js'

initAll()
