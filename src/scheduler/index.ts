export { createScheduler, validateSchedule } from './scheduler.js';
export type { Scheduler, SchedulerOptions, SchedulerStatus } from './scheduler.js';
