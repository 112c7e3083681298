package dev.redisfn.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import dev.redisfn.model.ErrorCode;
import dev.redisfn.transport.ReplyBudget;

/**
 * What a call's replies and its answer take from the reply budget: nothing within the allowances,
 * twice the counted reply bytes and the answer's buffer beyond them, all of it given back at once.
 */
class ReplyAccountTest {

    private static final long MIB = 1024 * 1024;

    @Test
    void smallCallsTouchNoSharedState() {
        ReplyBudget budget = new ReplyBudget(MIB);
        ReplyAccount account = new ReplyAccount(budget, MIB);
        assertNull(account.count(ReplyAccount.ALLOWANCE));
        assertTrue(account.answerGrew(ReplyAccount.ANSWER_ALLOWANCE));
        assertEquals(0, budget.inUse());
    }

    @Test
    void repliesTakeTwiceTheirCountedBytesAndAsMuchForTheAnswerUntilItGrowsPastThat() {
        ReplyBudget budget = new ReplyBudget(10 * MIB);
        ReplyAccount account = new ReplyAccount(budget, 4 * MIB);
        assertNull(account.count(ReplyAccount.ALLOWANCE + MIB));
        assertEquals((ReplyAccount.COPIES + 1) * MIB, budget.inUse());
        assertTrue(account.answerGrew(ReplyAccount.ANSWER_ALLOWANCE + MIB));
        assertEquals(3 * MIB, budget.inUse(), "an answer as long as its replies was reserved with them");
        assertTrue(account.answerGrew(ReplyAccount.ANSWER_ALLOWANCE + 2 * MIB), "a grown buffer takes only the growth");
        assertEquals(4 * MIB, budget.inUse());
        account.release();
        assertEquals(0, budget.inUse());
        assertNull(account.count(MIB), "after release nothing more is reserved");
        assertEquals(0, budget.inUse());
    }

    @Test
    void aCallPastItsLimitIsTooLargeAndPastTheBudgetOverloaded() {
        ReplyBudget budget = new ReplyBudget(4 * MIB);
        ReplyAccount first = new ReplyAccount(budget, 2 * MIB);
        assertEquals(ErrorCode.REPLY_TOO_LARGE, first.count(2 * MIB + 1).code());
        ReplyAccount second = new ReplyAccount(budget, 2 * MIB);
        assertNull(second.count(ReplyAccount.ALLOWANCE + MIB));
        ReplyAccount third = new ReplyAccount(budget, 2 * MIB);
        assertEquals(ErrorCode.OVERLOADED, third.count(ReplyAccount.ALLOWANCE + MIB).code());
        assertFalse(second.answerGrew(ReplyAccount.ANSWER_ALLOWANCE + 3 * MIB), "an answer of escapes past the rest");
        second.release();
        third.release();
        assertEquals(0, budget.inUse());
    }

    /** Only a call that did nothing but wait for a connection of its own may say, at its deadline, that nothing was sent. */
    @Test
    void anAbandonedCallSentNothingOnlyWhileItsOwnConnectionHadNotCome() {
        ReplyBudget budget = new ReplyBudget(MIB);
        assertFalse(new ReplyAccount(budget, MIB).abandon(), "a call on a shared connection may have sent its command");
        ReplyAccount waiting = new ReplyAccount(budget, MIB);
        waiting.awaitConnection();
        assertTrue(waiting.abandon());
        assertFalse(waiting.connectionCame(), "a connection that comes after the deadline is not used");
        ReplyAccount served = new ReplyAccount(budget, MIB);
        served.awaitConnection();
        assertTrue(served.connectionCame());
        assertFalse(served.abandon());
        ReplyAccount batch = new ReplyAccount(budget, MIB);
        batch.sendsElsewhere();
        batch.awaitConnection();
        assertFalse(batch.abandon(), "a batch's other items may have been sent");
    }
}
