"""northwind-oss/ledger-core: a Java double-entry accounting library."""

from spec import Comment, Edit, FileChange, IssueComment, IssueSpec, PullSpec, RepoSpec

_PKG = "src/main/java/io/northwind/ledger"
_TEST = "src/test/java/io/northwind/ledger"
MONEY = f"{_PKG}/Money.java"
CURRENCY = f"{_PKG}/Currency.java"
POSTING = f"{_PKG}/Posting.java"
JOURNAL = f"{_PKG}/Journal.java"
ENTRY = f"{_PKG}/JournalEntry.java"
MONEY_UTILS = f"{_PKG}/MoneyUtils.java"
VAT_RULE = f"{_PKG}/rules/VatRule.java"
MONEY_TEST = f"{_TEST}/MoneyTest.java"
JOURNAL_TEST = f"{_TEST}/JournalTest.java"

# ---------------------------------------------------------------- base files

_POM = """\
<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0"
         xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
         xsi:schemaLocation="http://maven.apache.org/POM/4.0.0
                             https://maven.apache.org/xsd/maven-4.0.0.xsd">
    <modelVersion>4.0.0</modelVersion>

    <groupId>io.northwind</groupId>
    <artifactId>ledger-core</artifactId>
    <version>0.4.0-SNAPSHOT</version>
    <packaging>jar</packaging>

    <name>ledger-core</name>
    <description>Double-entry bookkeeping primitives for the JVM</description>
    <url>https://github.com/northwind-oss/ledger-core</url>

    <licenses>
        <license>
            <name>Apache License, Version 2.0</name>
            <url>https://www.apache.org/licenses/LICENSE-2.0.txt</url>
        </license>
    </licenses>

    <properties>
        <maven.compiler.release>17</maven.compiler.release>
        <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>
        <junit.version>5.10.1</junit.version>
        <jacoco.version>0.8.11</jacoco.version>
    </properties>

    <dependencies>
        <dependency>
            <groupId>org.junit.jupiter</groupId>
            <artifactId>junit-jupiter</artifactId>
            <version>${junit.version}</version>
            <scope>test</scope>
        </dependency>
    </dependencies>

    <build>
        <plugins>
            <plugin>
                <groupId>org.apache.maven.plugins</groupId>
                <artifactId>maven-surefire-plugin</artifactId>
                <version>3.2.2</version>
            </plugin>
            <plugin>
                <groupId>org.jacoco</groupId>
                <artifactId>jacoco-maven-plugin</artifactId>
                <version>${jacoco.version}</version>
                <executions>
                    <execution>
                        <goals>
                            <goal>prepare-agent</goal>
                            <goal>report</goal>
                        </goals>
                    </execution>
                </executions>
            </plugin>
        </plugins>
    </build>
</project>
"""

_README = """\
# ledger-core

Double-entry bookkeeping primitives for the JVM: `Money` and `Currency` value types,
balanced `JournalEntry` records, a `Journal` and pluggable `PostingRule`s.

```java
Journal journal = new Journal();
journal.addRule(new VatRule("revenue", "vat-payable", new BigDecimal("0.19")));

Money total = Money.of("119.00", Currency.EUR);
journal.post(new JournalEntry("inv-1001", LocalDate.now(), "Invoice 1001", List.of(
        Posting.debit("receivables", total),
        Posting.credit("revenue", total))));

journal.balance("vat-payable", Currency.EUR); // EUR -19.00
```

## Building

```
mvn verify
```

Requires Java 17. Coverage reports are written to `target/site/jacoco`.

## License

Apache-2.0
"""

_CHANGELOG = """\
# Changelog

## Unreleased

## 0.3.0 - 2024-02-12
- Added `VatRule` for splitting gross revenue into net revenue and VAT.
- `MoneyUtils` is deprecated and will be removed in 0.4.

## 0.2.0 - 2023-11-30
- Added posting rules (`PostingRule`), applied in order by `Journal.post`.
- `Journal.between(from, to)` for date-range queries.
"""

_MONEY = """\
package io.northwind.ledger;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Objects;

/**
 * An immutable amount of money in a single currency.
 *
 * <p>Amounts are meant to be kept at the currency's minor-unit scale, so that
 * {@code Money.of("10", EUR)} and {@code Money.of("10.00", EUR)} are the same value.
 */
public final class Money implements Comparable<Money> {

    private final BigDecimal amount;
    private final Currency currency;

    private Money(BigDecimal amount, Currency currency) {
        this.amount = amount;
        this.currency = currency;
    }

    public static Money of(String amount, Currency currency) {
        return of(new BigDecimal(amount), currency);
    }

    public static Money of(BigDecimal amount, Currency currency) {
        Objects.requireNonNull(amount, "amount");
        Objects.requireNonNull(currency, "currency");
        return new Money(amount, currency);
    }

    public static Money zero(Currency currency) {
        return new Money(BigDecimal.ZERO, currency);
    }

    public BigDecimal amount() {
        return amount;
    }

    public Currency currency() {
        return currency;
    }

    public Money plus(Money other) {
        requireSameCurrency(other);
        return new Money(amount.add(other.amount), currency);
    }

    public Money minus(Money other) {
        requireSameCurrency(other);
        return new Money(amount.subtract(other.amount), currency);
    }

    public Money times(BigDecimal factor) {
        BigDecimal product = amount.multiply(factor);
        return new Money(product.setScale(currency.minorUnits(), RoundingMode.HALF_UP),
                currency);
    }

    public Money negate() {
        return new Money(amount.negate(), currency);
    }

    public boolean isZero() {
        return amount.signum() == 0;
    }

    public boolean isNegative() {
        return amount.signum() < 0;
    }

    private void requireSameCurrency(Money other) {
        if (!currency.equals(other.currency)) {
            throw new CurrencyMismatchException(currency, other.currency);
        }
    }

    @Override
    public int compareTo(Money other) {
        requireSameCurrency(other);
        return amount.compareTo(other.amount);
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof Money)) {
            return false;
        }
        Money money = (Money) o;
        return amount.equals(money.amount) && currency.equals(money.currency);
    }

    @Override
    public int hashCode() {
        return Objects.hash(amount, currency);
    }

    @Override
    public String toString() {
        return currency.code() + " " + amount.toPlainString();
    }
}
"""

_CURRENCY = """\
package io.northwind.ledger;

import java.util.Map;
import java.util.Objects;

/** An ISO 4217 currency together with its number of minor units (decimal places). */
public final class Currency {

    private static final Map<String, Integer> MINOR_UNITS = Map.of(
            "EUR", 2,
            "USD", 2,
            "GBP", 2,
            "CHF", 2,
            "JPY", 0,
            "KWD", 3);

    public static final Currency EUR = of("EUR");
    public static final Currency USD = of("USD");
    public static final Currency JPY = of("JPY");

    private final String code;
    private final int minorUnits;

    private Currency(String code, int minorUnits) {
        this.code = code;
        this.minorUnits = minorUnits;
    }

    public static Currency of(String code) {
        Objects.requireNonNull(code, "code");
        Integer units = MINOR_UNITS.get(code);
        if (units == null) {
            throw new IllegalArgumentException("Unknown currency: " + code);
        }
        return new Currency(code, units);
    }

    public String code() {
        return code;
    }

    public int minorUnits() {
        return minorUnits;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Currency other && code.equals(other.code);
    }

    @Override
    public int hashCode() {
        return code.hashCode();
    }

    @Override
    public String toString() {
        return code;
    }
}
"""

_MISMATCH = """\
package io.northwind.ledger;

/** Thrown when two amounts in different currencies are combined. */
public class CurrencyMismatchException extends IllegalArgumentException {

    public CurrencyMismatchException(Currency expected, Currency actual) {
        super("Currency mismatch: expected " + expected + " but got " + actual);
    }
}
"""

_POSTING = """\
package io.northwind.ledger;

import java.util.Objects;

/** One side of a journal entry: an amount debited or credited to an account. */
public record Posting(String account, Money amount, Side side, String memo) {

    public enum Side { DEBIT, CREDIT }

    public Posting {
        Objects.requireNonNull(account, "account");
        Objects.requireNonNull(amount, "amount");
        Objects.requireNonNull(side, "side");
        if (amount.isNegative()) {
            throw new IllegalArgumentException(
                    "Posting amounts must be positive: " + amount);
        }
    }

    public static Posting debit(String account, Money amount) {
        return new Posting(account, amount, Side.DEBIT, null);
    }

    public static Posting credit(String account, Money amount) {
        return new Posting(account, amount, Side.CREDIT, null);
    }

    /** The amount signed by side: debits are positive, credits negative. */
    public Money signedAmount() {
        return side == Side.DEBIT ? amount : amount.negate();
    }

    /** A one-line human readable description, used in audit logs. */
    public String describe() {
        String suffix = memo.isEmpty() ? "" : " (" + memo + ")";
        return side + " " + account + " " + amount + suffix;
    }
}
"""

_ENTRY = """\
package io.northwind.ledger;

import java.time.LocalDate;
import java.util.List;
import java.util.Objects;

/** A dated set of postings recorded together. */
public record JournalEntry(String id, LocalDate date, String description,
                           List<Posting> postings) {

    public JournalEntry {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(date, "date");
        postings = List.copyOf(postings);
        if (postings.size() < 2) {
            throw new IllegalArgumentException("An entry needs at least two postings");
        }
    }
}
"""

_JOURNAL = """\
package io.northwind.ledger;

import io.northwind.ledger.rules.PostingRule;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** An append-only journal of entries. */
public class Journal {

    private final List<JournalEntry> entries = new ArrayList<>();
    private final List<PostingRule> rules = new ArrayList<>();

    public void addRule(PostingRule rule) {
        rules.add(rule);
    }

    public JournalEntry post(JournalEntry entry) {
        JournalEntry current = entry;
        for (PostingRule rule : rules) {
            current = rule.apply(current);
        }
        entries.add(current);
        return current;
    }

    public List<JournalEntry> entries() {
        return entries;
    }

    public Money balance(String account, Currency currency) {
        Money total = Money.zero(currency);
        for (JournalEntry entry : entries) {
            for (Posting posting : entry.postings()) {
                if (posting.account().equals(account)) {
                    total = total.plus(posting.signedAmount());
                }
            }
        }
        return total;
    }

    public Map<String, Money> trialBalance() {
        Map<String, Money> balances = new HashMap<>();
        for (JournalEntry entry : entries) {
            for (Posting posting : entry.postings()) {
                balances.merge(posting.account(), posting.signedAmount(), Money::plus);
            }
        }
        return balances;
    }

    /** Entries dated within the given period. */
    public List<JournalEntry> between(LocalDate from, LocalDate to) {
        List<JournalEntry> result = new ArrayList<>();
        for (JournalEntry entry : entries) {
            if (entry.date().isAfter(from) && entry.date().isBefore(to)) {
                result.add(entry);
            }
        }
        return result;
    }
}
"""

_POSTING_RULE = """\
package io.northwind.ledger.rules;

import io.northwind.ledger.JournalEntry;

/** Transforms an entry before it is posted, e.g. to split out tax or round. */
@FunctionalInterface
public interface PostingRule {

    JournalEntry apply(JournalEntry entry);
}
"""

_VAT_RULE = """\
package io.northwind.ledger.rules;

import io.northwind.ledger.JournalEntry;
import io.northwind.ledger.Money;
import io.northwind.ledger.Posting;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/** Splits a gross revenue credit into net revenue and VAT payable. */
public class VatRule implements PostingRule {

    private final String revenueAccount;
    private final String vatAccount;
    private final BigDecimal rate;

    public VatRule(String revenueAccount, String vatAccount, BigDecimal rate) {
        this.revenueAccount = revenueAccount;
        this.vatAccount = vatAccount;
        this.rate = rate;
    }

    @Override
    public JournalEntry apply(JournalEntry entry) {
        List<Posting> postings = new ArrayList<>();
        for (Posting posting : entry.postings()) {
            if (isRevenueCredit(posting)) {
                Money gross = posting.amount();
                Money vat = gross.times(rate);
                postings.add(Posting.credit(revenueAccount, gross.minus(vat)));
                postings.add(Posting.credit(vatAccount, vat));
            } else {
                postings.add(posting);
            }
        }
        return new JournalEntry(entry.id(), entry.date(), entry.description(),
                postings);
    }

    private boolean isRevenueCredit(Posting posting) {
        return posting.account().equals(revenueAccount)
                && posting.side() == Posting.Side.CREDIT;
    }
}
"""

_MONEY_UTILS = """\
package io.northwind.ledger;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Static helpers from the 0.1 API.
 *
 * @deprecated use the {@link Money} factory methods instead; removed in 0.4.
 */
@Deprecated(since = "0.3", forRemoval = true)
public final class MoneyUtils {

    private MoneyUtils() {
    }

    public static Money fromDouble(double value, Currency currency) {
        BigDecimal exact = BigDecimal.valueOf(value);
        return Money.of(exact.setScale(currency.minorUnits(), RoundingMode.HALF_UP),
                currency);
    }

    public static double toDouble(Money money) {
        return money.amount().doubleValue();
    }

    public static Money sum(Iterable<Money> values, Currency currency) {
        Money total = Money.zero(currency);
        for (Money value : values) {
            total = total.plus(value);
        }
        return total;
    }
}
"""

_MONEY_TEST = """\
package io.northwind.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class MoneyTest {

    private static final Currency EUR = Currency.EUR;
    private static final Currency USD = Currency.USD;

    @Test
    void addsAmountsInSameCurrency() {
        Money sum = Money.of("10.25", EUR).plus(Money.of("0.75", EUR));
        assertEquals(Money.of("11.00", EUR), sum);
    }

    @Test
    void rejectsMixedCurrencies() {
        assertThrows(CurrencyMismatchException.class,
                () -> Money.of("1.00", EUR).plus(Money.of("1.00", USD)));
    }

    @Test
    void timesRoundsHalfUpToMinorUnits() {
        Money result = Money.of("10.00", EUR).times(new BigDecimal("0.0125"));
        assertEquals(Money.of("0.13", EUR), result);
    }

    @Test
    void negateFlipsSign() {
        assertTrue(Money.of("5.00", EUR).negate().isNegative());
    }
}
"""

_JOURNAL_TEST = """\
package io.northwind.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class JournalTest {

    private static final Currency EUR = Currency.EUR;

    private Journal journal;

    @BeforeEach
    void setUp() {
        journal = new Journal();
    }

    private static JournalEntry sale(String id, LocalDate date, String amount) {
        Money money = Money.of(amount, EUR);
        return new JournalEntry(id, date, "Sale " + id, List.of(
                Posting.debit("cash", money),
                Posting.credit("revenue", money)));
    }

    @Test
    void balanceSumsSignedPostings() {
        journal.post(sale("s1", LocalDate.of(2024, 3, 1), "100.00"));
        journal.post(sale("s2", LocalDate.of(2024, 3, 2), "25.50"));

        assertEquals(Money.of("125.50", EUR), journal.balance("cash", EUR));
        assertEquals(Money.of("-125.50", EUR), journal.balance("revenue", EUR));
    }

    @Test
    void entryNeedsTwoPostings() {
        Posting only = Posting.debit("cash", Money.of("1.00", EUR));
        LocalDate day = LocalDate.of(2024, 1, 1);
        assertThrows(IllegalArgumentException.class,
                () -> new JournalEntry("x", day, "bad", List.of(only)));
    }

    @Test
    void betweenFiltersByDate() {
        journal.post(sale("s1", LocalDate.of(2024, 3, 1), "10.00"));
        journal.post(sale("s2", LocalDate.of(2024, 3, 15), "10.00"));
        journal.post(sale("s3", LocalDate.of(2024, 3, 31), "10.00"));

        List<JournalEntry> march =
                journal.between(LocalDate.of(2024, 3, 1), LocalDate.of(2024, 3, 31));
        assertEquals(1, march.size());
    }
}
"""

_GITIGNORE = """\
target/
.idea/
*.iml
.DS_Store
"""

_CI = """\
name: ci

on:
  push:
    branches: [main]
  pull_request:

jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-java@v4
        with:
          distribution: temurin
          java-version: "17"
          cache: maven
      - run: mvn -B verify
      - uses: codecov/codecov-action@v4
        with:
          files: target/site/jacoco/jacoco.xml
"""

FILES = {
    "pom.xml": _POM,
    "README.md": _README,
    "CHANGELOG.md": _CHANGELOG,
    ".gitignore": _GITIGNORE,
    ".github/workflows/ci.yml": _CI,
    MONEY: _MONEY,
    CURRENCY: _CURRENCY,
    f"{_PKG}/CurrencyMismatchException.java": _MISMATCH,
    POSTING: _POSTING,
    ENTRY: _ENTRY,
    JOURNAL: _JOURNAL,
    MONEY_UTILS: _MONEY_UTILS,
    f"{_PKG}/rules/PostingRule.java": _POSTING_RULE,
    VAT_RULE: _VAT_RULE,
    MONEY_TEST: _MONEY_TEST,
    JOURNAL_TEST: _JOURNAL_TEST,
}

# ---------------------------------------------------------------- issues

ISSUES = (
    IssueSpec(
        number=3,
        title='Money.of("10", EUR) is not equal to Money.of("10.00", EUR)',
        body=(
            "The class javadoc says amounts are kept at the currency's minor-unit "
            "scale, "
            "but `of()` stores whatever `BigDecimal` it is given:\n\n"
            "```java\n"
            'Money.of("10", Currency.EUR).equals(Money.of("10.00", Currency.EUR)); '
            "// false\n"
            "```\n\n"
            "We hit this when reconciling bank imports (amounts come without decimals) "
            "against invoices. `toString()` also prints `EUR 10` vs `EUR 10.00`."
        ),
        author="sbrandt-fin",
        labels=("bug",),
    ),
    IssueSpec(
        number=7,
        title="NullPointerException in Posting.describe() for postings without memo",
        body=(
            "`Posting.debit(...)` and `Posting.credit(...)` pass `null` as memo, and "
            "`describe()` calls `memo.isEmpty()`:\n\n"
            "```\n"
            'java.lang.NullPointerException: Cannot invoke "String.isEmpty()" '
            "because "
            '"this.memo" is null\n'
            "    at io.northwind.ledger.Posting.describe(Posting.java:33)\n"
            "    at com.acme.audit.AuditLog.record(AuditLog.java:58)\n"
            "```\n\n"
            "Version 0.3.0."
        ),
        author="kjellberg",
        labels=("bug",),
    ),
    IssueSpec(
        number=12,
        title="VatRule computes VAT on the gross amount",
        body=(
            "With a 19% rate and a gross credit of 119.00, `VatRule` books 22.61 VAT "
            "and "
            "96.39 net revenue. VAT included in a gross amount is "
            "`gross * rate / (1 + rate)`, i.e. 19.00 VAT and 100.00 net.\n\n"
            "The README example even says `EUR -19.00`."
        ),
        author="sbrandt-fin",
        labels=("bug",),
    ),
)

# ---------------------------------------------------------------- pull requests

_SUGGEST_SCALE = """\
`UNNECESSARY` means `Money.of("10.005", EUR)` now throws `ArithmeticException: \
Rounding necessary`. I think throwing is right (silently rounding an *input* amount \
is exactly how ledgers drift), but that message tells the caller nothing about which \
amount or currency was wrong. Could we wrap it?

```suggestion
        int scale = currency.minorUnits();
        try {
            return new Money(amount.setScale(scale, RoundingMode.UNNECESSARY),
                    currency);
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException(
                    "Too many decimals for " + currency + ": " + amount, e);
        }
```"""

_SUGGEST_HASH_TEST = """\
Could you also assert `hashCode` here? That's exactly what the first version of this \
PR got wrong, so it deserves a regression test.

```suggestion
        Money a = Money.of("10", EUR);
        Money b = Money.of("10.00", EUR);
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
```"""

PR_SCALE = PullSpec(
    title="Normalize Money scale so equal amounts compare equal",
    body=(
        '`Money.of("10", EUR)` and `Money.of("10.00", EUR)` were not equal because '
        "`BigDecimal.equals` compares scale. This switches `equals` to `compareTo`.\n\n"
        "Fixes #3"
    ),
    author="tkowalski",
    branch="fix/money-scale-equality",
    labels=("bug",),
    changes=(
        FileChange(
            MONEY,
            edits=(
                Edit(
                    "return amount.equals(money.amount) && currency",
                    "return amount.compareTo(money.amount) == 0 && currency",
                ),
            ),
        ),
        FileChange(
            MONEY_TEST,
            edits=(
                Edit(
                    '        assertTrue(Money.of("5.00", '
                    "EUR).negate().isNegative());\n"
                    "    }\n",
                    '        assertTrue(Money.of("5.00", '
                    "EUR).negate().isNegative());\n"
                    "    }\n"
                    "\n"
                    "    @Test\n"
                    "    void equalsIgnoresScale() {\n"
                    '        assertEquals(Money.of("10", EUR), Money.of("10.00", '
                    "EUR));\n"
                    "    }\n",
                ),
            ),
        ),
    ),
    fixups=(
        FileChange(
            MONEY,
            edits=(
                Edit(
                    "return amount.compareTo(money.amount) == 0 && currency",
                    "return amount.equals(money.amount) && currency",
                ),
                Edit(
                    '        Objects.requireNonNull(currency, "currency");\n'
                    "        return new Money(amount, currency);\n",
                    '        Objects.requireNonNull(currency, "currency");\n'
                    "        int scale = currency.minorUnits();\n"
                    "        return new Money(amount.setScale(scale, "
                    "RoundingMode.UNNECESSARY), currency);\n",
                ),
                Edit(
                    "        return new Money(BigDecimal.ZERO, currency);\n",
                    "        return of(BigDecimal.ZERO, currency);\n",
                ),
                Edit(
                    " * <p>Amounts are meant to be kept at the currency's minor-unit "
                    "scale",
                    " * <p>Amounts are always stored at the currency's minor-unit "
                    "scale",
                ),
            ),
        ),
        FileChange(
            MONEY_TEST,
            edits=(
                Edit(
                    '        assertEquals(Money.of("10", EUR), Money.of("10.00", '
                    "EUR));\n"
                    "    }\n",
                    '        Money a = Money.of("10", EUR);\n'
                    '        Money b = Money.of("10.00", EUR);\n'
                    "        assertEquals(a, b);\n"
                    "        assertEquals(a.hashCode(), b.hashCode());\n"
                    "    }\n"
                    "\n"
                    "    @Test\n"
                    "    void normalizesScaleForDisplay() {\n"
                    '        assertEquals("EUR 10.00", Money.of("10", '
                    "EUR).toString());\n"
                    "    }\n"
                    "\n"
                    "    @Test\n"
                    "    void rejectsMoreDecimalsThanCurrencyAllows() {\n"
                    "        assertThrows(ArithmeticException.class, "
                    '() -> Money.of("10.005", EUR));\n'
                    "    }\n",
                ),
            ),
        ),
    ),
    fixup_message="Normalize scale in Money.of instead of comparing with compareTo",
    comments=(
        Comment(
            key="hash",
            author="rstein",
            association="COLLABORATOR",
            path=MONEY,
            anchor="amount.compareTo(money.amount) == 0",
            outdated=True,
            body=(
                "`compareTo` makes `equals` scale-insensitive, but `hashCode()` still "
                'hashes the raw `BigDecimal`: `new BigDecimal("10").hashCode()` and '
                '`new BigDecimal("10.00").hashCode()` differ. Two equal `Money` '
                "values "
                "would land in different `HashMap` buckets, and the reconciliation job "
                "puts `Money` values in a `HashSet`.\n\n"
                "Either hash `amount.stripTrailingZeros()` or, better, normalize the "
                "scale "
                "once in the factory so `equals`/`hashCode` can stay as they are."
            ),
        ),
        Comment(
            key="hash-reply",
            author="tkowalski",
            association="CONTRIBUTOR",
            reply_to="hash",
            outdated=True,
            body=(
                "Good catch, fixed in the next commit. I went with normalizing in "
                "`of()`: that also fixes `toString()` printing `EUR 10` vs `EUR "
                "10.00`, "
                "which was the second half of #3."
            ),
        ),
        Comment(
            key="scale",
            author="mhalvorsen",
            association="OWNER",
            path=MONEY,
            start_anchor="int scale = currency.minorUnits();",
            anchor="RoundingMode.UNNECESSARY",
            body=_SUGGEST_SCALE,
        ),
        Comment(
            key="scale-reply",
            author="tkowalski",
            association="CONTRIBUTOR",
            reply_to="scale",
            body=(
                "Agree on the message, but `Money.of(String, ...)` has the same "
                "problem "
                "with `NumberFormatException` and I'd like both parse failures to come "
                "out as one exception type. Can I do that as a follow-up so this PR "
                "stays "
                "a pure bugfix?"
            ),
        ),
        Comment(
            key="scale-reply-2",
            author="mhalvorsen",
            association="OWNER",
            reply_to="scale",
            body="Sure, follow-up is fine.",
        ),
        Comment(
            key="zero",
            author="adebayo-o",
            path=MONEY,
            anchor="return of(BigDecimal.ZERO, currency);",
            body=(
                "Routing `zero()` through `of()` means the scale invariant lives in "
                "one "
                "place now, nice. Side effect: `Money.zero(null)` now fails with "
                "`NullPointerException: currency` instead of an NPE deep inside "
                "`plus()`. Strictly better, just noting it for the changelog."
            ),
        ),
        Comment(
            key="hash-test",
            author="lucia-ferraz",
            path=MONEY_TEST,
            anchor='assertEquals(Money.of("10", EUR), Money.of("10.00", EUR));',
            outdated=True,
            body=_SUGGEST_HASH_TEST,
        ),
        Comment(
            key="hash-test-reply",
            author="tkowalski",
            association="CONTRIBUTOR",
            reply_to="hash-test",
            outdated=True,
            body="Done.",
        ),
        Comment(
            key="display",
            author="lucia-ferraz",
            path=MONEY_TEST,
            anchor='assertEquals("EUR 10.00", Money.of("10", EUR).toString());',
            body="nice",
        ),
    ),
    conversation=(
        IssueComment(
            author="codecov[bot]",
            author_type="Bot",
            association="NONE",
            body=(
                "## [Codecov](https://app.codecov.io/gh/northwind-oss/ledger-core) "
                "Report\n"
                "All modified and coverable lines are covered by tests "
                ":white_check_mark:"
                "\n\n> Project coverage is 91.42%. Comparing base (`3f2a1c9`) to head "
                "(`b71e0d4`)."
            ),
        ),
    ),
)

PR_MEMO = PullSpec(
    title="Fix NPE in Posting.describe() when memo is null",
    body="`debit()`/`credit()` create postings with a null memo.\n\nFixes #7",
    author="priya-n",
    branch="fix/posting-describe-npe",
    labels=("bug",),
    changes=(
        FileChange(
            POSTING,
            edits=(
                Edit(
                    'String suffix = memo.isEmpty() ? "" :',
                    'String suffix = memo == null || memo.isEmpty() ? "" :',
                ),
            ),
        ),
        FileChange(
            f"{_TEST}/PostingTest.java",
            content="""\
package io.northwind.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class PostingTest {

    @Test
    void describeWithoutMemo() {
        Posting posting = Posting.debit("cash", Money.of("12.00", Currency.EUR));
        assertEquals("DEBIT cash EUR 12.00", posting.describe());
    }

    @Test
    void describeWithMemo() {
        Posting posting = new Posting("cash", Money.of("12.00", Currency.EUR),
                Posting.Side.CREDIT, "refund");
        assertEquals("CREDIT cash EUR 12.00 (refund)", posting.describe());
    }
}
""",
        ),
    ),
    comments=(
        Comment(
            key="blank",
            author="adebayo-o",
            path=POSTING,
            anchor="memo == null || memo.isEmpty()",
            body=(
                'While we\'re here: the CSV importer produces memos like `"   "`, '
                "which "
                "print as `DEBIT cash EUR 12.00 (   )`. `isBlank()` would cover "
                "both.\n\n"
                "```suggestion\n"
                '        String suffix = memo == null || memo.isBlank() ? "" : " (" + '
                'memo.strip() + ")";\n'
                "```"
            ),
        ),
        Comment(
            key="blank-reply",
            author="priya-n",
            association="CONTRIBUTOR",
            reply_to="blank",
            body=(
                "I'd rather not change the output format in a patch release: the audit "
                "log is diffed by a downstream job that would flag every blank-memo "
                "line. "
                "Happy to open a separate issue for trimming memos at import time, "
                "which "
                "is where they should be cleaned anyway."
            ),
        ),
        Comment(
            key="ctor",
            author="rstein",
            association="COLLABORATOR",
            path=POSTING,
            anchor="memo == null || memo.isEmpty()",
            body=(
                "Alternative: normalize in the compact constructor "
                '(`memo = memo == null ? "" : memo;`) so nobody else trips over a '
                "null "
                "`memo()`. Not blocking, the accessor is public API though."
            ),
        ),
        Comment(
            key="test",
            author="lucia-ferraz",
            path=f"{_TEST}/PostingTest.java",
            anchor='assertEquals("DEBIT cash EUR 12.00", posting.describe());',
            body="lgtm 👍",
        ),
    ),
    conversation=(
        IssueComment(author="mhalvorsen", association="OWNER", body="Thanks!"),
    ),
)

_JOURNAL_BALANCED_V1 = """\
        requireBalanced(current);
        entries.add(current);
        return current;
    }

    private static void requireBalanced(JournalEntry entry) {
        BigDecimal total = BigDecimal.ZERO;
        for (Posting posting : entry.postings()) {
            total = total.add(posting.signedAmount().amount());
        }
        if (!total.equals(BigDecimal.ZERO)) {
            throw new UnbalancedEntryException(entry.id(), total);
        }
    }
"""

_JOURNAL_BALANCED_V2 = """\
        requireBalanced(current);
        entries.add(current);
        return current;
    }

    private static void requireBalanced(JournalEntry entry) {
        Map<Currency, Money> totals = new HashMap<>();
        for (Posting posting : entry.postings()) {
            Money signed = posting.signedAmount();
            totals.merge(signed.currency(), signed, Money::plus);
        }
        for (Money total : totals.values()) {
            if (!total.isZero()) {
                throw new UnbalancedEntryException(entry.id(), total);
            }
        }
    }
"""

_UNBALANCED_V1 = """\
package io.northwind.ledger;

import java.math.BigDecimal;

/** Thrown by {@link Journal#post} when debits and credits do not net to zero. */
public class UnbalancedEntryException extends RuntimeException {

    public UnbalancedEntryException(String entryId, BigDecimal difference) {
        super("Entry " + entryId + " is unbalanced by " + difference.toPlainString());
    }
}
"""

_UNBALANCED_V2 = """\
package io.northwind.ledger;

/** Thrown by {@link Journal#post} when debits and credits do not net to zero. */
public class UnbalancedEntryException extends IllegalArgumentException {

    private final String entryId;
    private final Money difference;

    public UnbalancedEntryException(String entryId, Money difference) {
        super("Entry " + entryId + " is unbalanced by " + difference);
        this.entryId = entryId;
        this.difference = difference;
    }

    public String entryId() {
        return entryId;
    }

    public Money difference() {
        return difference;
    }
}
"""

PR_BALANCED = PullSpec(
    title="Reject unbalanced journal entries on post",
    body=(
        "`Journal.post` accepted entries whose debits and credits don't net to zero, "
        "which makes `trialBalance()` meaningless. This checks the entry after the "
        "posting rules ran (rules like `VatRule` may add postings) and throws "
        "`UnbalancedEntryException`."
    ),
    author="dgrant-dev",
    branch="feature/reject-unbalanced",
    labels=("enhancement",),
    changes=(
        FileChange(
            JOURNAL,
            edits=(
                Edit(
                    "import java.time.LocalDate;\n",
                    "import java.math.BigDecimal;\nimport java.time.LocalDate;\n",
                ),
                Edit(
                    "        entries.add(current);\n        return current;\n    }\n",
                    _JOURNAL_BALANCED_V1,
                ),
            ),
        ),
        FileChange(f"{_PKG}/UnbalancedEntryException.java", content=_UNBALANCED_V1),
        FileChange(
            JOURNAL_TEST,
            edits=(
                Edit(
                    "    @Test\n    void betweenFiltersByDate() {\n",
                    "    @Test\n"
                    "    void rejectsUnbalancedEntry() {\n"
                    '        JournalEntry entry = new JournalEntry("u1", '
                    'LocalDate.of(2024, 3, 1), "typo",\n'
                    '                List.of(Posting.debit("cash", '
                    'Money.of("100.00", EUR)),\n'
                    '                        Posting.credit("revenue", '
                    'Money.of("10.00", EUR))));\n'
                    "        assertThrows(UnbalancedEntryException.class, "
                    "() -> journal.post(entry));\n"
                    "    }\n"
                    "\n"
                    "    @Test\n    void betweenFiltersByDate() {\n",
                ),
            ),
        ),
    ),
    fixups=(
        FileChange(
            JOURNAL,
            edits=(
                Edit(
                    "import java.math.BigDecimal;\nimport java.time.LocalDate;\n",
                    "import java.time.LocalDate;\n",
                ),
                Edit(_JOURNAL_BALANCED_V1, _JOURNAL_BALANCED_V2),
            ),
        ),
        FileChange(f"{_PKG}/UnbalancedEntryException.java", content=_UNBALANCED_V2),
        FileChange(
            JOURNAL_TEST,
            edits=(
                Edit(
                    "    @Test\n    void betweenFiltersByDate() {\n",
                    "    @Test\n"
                    "    void acceptsBalancedEntryAtCurrencyScale() {\n"
                    '        journal.post(sale("b1", LocalDate.of(2024, 3, 1), '
                    '"19.99"));\n'
                    "        assertEquals(1, journal.entries().size());\n"
                    "    }\n"
                    "\n"
                    "    @Test\n"
                    "    void rejectsEntryBalancedOnlyAcrossCurrencies() {\n"
                    '        JournalEntry entry = new JournalEntry("fx", '
                    'LocalDate.of(2024, 3, 1), "fx",\n'
                    '                List.of(Posting.debit("cash", '
                    'Money.of("100.00", EUR)),\n'
                    '                        Posting.credit("cash-usd", '
                    'Money.of("100.00", Currency.USD))));\n'
                    "        assertThrows(UnbalancedEntryException.class, "
                    "() -> journal.post(entry));\n"
                    "    }\n"
                    "\n"
                    "    @Test\n    void betweenFiltersByDate() {\n",
                ),
            ),
        ),
    ),
    comments=(
        Comment(
            key="equals-zero",
            author="rstein",
            association="COLLABORATOR",
            path=JOURNAL,
            anchor="if (!total.equals(BigDecimal.ZERO)) {",
            outdated=True,
            body=(
                "This is the scale trap from #3 again: since `Money.of` normalizes to "
                "the "
                "currency's minor units, `total` ends up as `0.00`, and "
                '`new BigDecimal("0.00").equals(BigDecimal.ZERO)` is `false`. Every '
                "balanced EUR entry would be rejected. Use `total.signum() != 0` (or "
                "`compareTo`)."
            ),
        ),
        Comment(
            key="equals-zero-reply",
            author="dgrant-dev",
            association="CONTRIBUTOR",
            reply_to="equals-zero",
            outdated=True,
            body=(
                "Ouch, yes. The test suite only had the unbalanced case so it passed. "
                "Switched to `Money.isZero()` and added a balanced test."
            ),
        ),
        Comment(
            key="currency",
            author="mhalvorsen",
            association="OWNER",
            path=JOURNAL,
            anchor="total = total.add(posting.signedAmount().amount());",
            outdated=True,
            body=(
                "This adds raw amounts across currencies, so a EUR 100 debit against a "
                "USD 100 credit nets to zero and passes. An entry has to balance per "
                "currency. Could you group by currency (a `Map<Currency, Money>` and "
                "`Money::plus`, which also gives you the mismatch check for free)?"
            ),
        ),
        Comment(
            key="currency-reply",
            author="dgrant-dev",
            association="CONTRIBUTOR",
            reply_to="currency",
            outdated=True,
            body="Done, and there's a test with an EUR/USD pair now.",
        ),
        Comment(
            key="exc-type",
            author="lucia-ferraz",
            path=f"{_PKG}/UnbalancedEntryException.java",
            anchor=(
                "public class UnbalancedEntryException extends IllegalArgumentException"
            ),
            body=(
                "Question: should this extend `IllegalArgumentException`? It is an "
                "invalid argument to `post`, fine, but some callers catch IAE around "
                "`Money.of` parsing and would now swallow this too. A small "
                "`LedgerException` base might age better. Not blocking."
            ),
        ),
        Comment(
            key="exc-type-reply",
            author="dgrant-dev",
            association="CONTRIBUTOR",
            reply_to="exc-type",
            body=(
                "`CurrencyMismatchException` already extends IAE, so I kept it "
                "consistent. If we introduce a base class I'd move both at once, in a "
                "separate PR since it's an API change."
            ),
        ),
        Comment(
            key="after-rules",
            author="adebayo-o",
            path=JOURNAL,
            anchor="requireBalanced(current);",
            body=(
                "Checking after the rules is right, but it means a buggy rule produces "
                "an exception that names the entry, not the rule. Could you mention in "
                "the javadoc of `post` that the check runs on the transformed entry?"
            ),
        ),
        Comment(
            key="sonar",
            author="sonarcloud[bot]",
            author_type="Bot",
            association="NONE",
            path=f"{_PKG}/UnbalancedEntryException.java",
            anchor="private final Money difference;",
            body=(
                '**Code Smell** (Minor): Make "difference" transient or '
                "serializable. "
                'Fields in a "Serializable" class should either be transient or '
                "serializable.\n\n[See rule java:S1948]"
                "(https://sonarcloud.io/organizations/northwind-oss/rules"
                "?open=java%3AS1948)"
            ),
        ),
    ),
)

PR_JUNIT = PullSpec(
    title="Bump org.junit.jupiter:junit-jupiter from 5.10.1 to 5.10.2",
    body=(
        "Bumps [org.junit.jupiter:junit-jupiter](https://github.com/junit-team/junit5) "
        "from 5.10.1 to 5.10.2.\n\n"
        "<details>\n<summary>Release notes</summary>\n\n"
        "<p><em>Sourced from junit-jupiter's releases.</em></p>\n"
        "<blockquote>\n<p>JUnit 5.10.2 = Platform 1.10.2 + Jupiter 5.10.2 + Vintage "
        "5.10.2</p>\n</blockquote>\n</details>\n\n"
        "[![Dependabot compatibility score](https://dependabot-badges.githubapp.com/"
        "badges/compatibility_score?dependency-name=org.junit.jupiter:junit-jupiter"
        "&package-manager=maven&previous-version=5.10.1&new-version=5.10.2)]"
        "(https://docs.github.com/en/github/managing-security-vulnerabilities/"
        "about-dependabot-security-updates#about-compatibility-scores)\n\n"
        "Dependabot will resolve any conflicts with this PR as long as you don't alter "
        "it yourself."
    ),
    author="dependabot[bot]",
    author_association="NONE",
    branch="dependabot/maven/org.junit.jupiter-junit-jupiter-5.10.2",
    labels=("dependencies",),
    commit_message="Bump org.junit.jupiter:junit-jupiter from 5.10.1 to 5.10.2",
    changes=(
        FileChange(
            "pom.xml",
            edits=(
                Edit(
                    "<junit.version>5.10.1</junit.version>",
                    "<junit.version>5.10.2</junit.version>",
                ),
            ),
        ),
    ),
    comments=(
        Comment(
            key="lgtm",
            author="mhalvorsen",
            association="OWNER",
            path="pom.xml",
            anchor="<junit.version>5.10.2</junit.version>",
            body="+1",
        ),
        Comment(
            key="surefire",
            author="rstein",
            association="COLLABORATOR",
            path="pom.xml",
            anchor="<jacoco.version>0.8.11</jacoco.version>",
            body=(
                "Unrelated to this bump, but surefire 3.2.2 is pinned further down and "
                "5.10.x needs >= 3.0 for the platform launcher, so we're fine. Leaving "
                "this here so nobody downgrades it."
            ),
        ),
    ),
    conversation=(
        IssueComment(
            author="github-actions[bot]",
            author_type="Bot",
            association="NONE",
            body=(
                "### Test Results\n\n  1 files  ±0    5 suites  ±0   1s :stopwatch: "
                "±0s\n"
                " 19 tests ±0   19 :white_check_mark: ±0   0 :zzz: ±0   0 :x: ±0\n\n"
                "Results for commit 8d1e0c2. ± Comparison against base commit 3f2a1c9."
            ),
        ),
        IssueComment(author="adebayo-o", body="LGTM"),
    ),
)

_ALLOCATE_V1 = """\
    /**
     * Splits this amount into {@code parts} shares that differ by at most one minor
     * unit and always add up to this amount. Earlier shares get the extra units.
     */
    public List<Money> allocate(int parts) {
        if (parts <= 0) {
            throw new IllegalArgumentException("parts must be positive: " + parts);
        }
        int scale = currency.minorUnits();
        BigDecimal unit = BigDecimal.ONE.movePointLeft(scale);
        BigDecimal count = BigDecimal.valueOf(parts);
        BigDecimal share = amount.divide(count, scale, RoundingMode.DOWN);
        BigDecimal remainder = amount.subtract(share.multiply(count));
        int extra = remainder.divide(unit).intValue();
        List<Money> result = new ArrayList<>(parts);
        for (int i = 0; i <= parts; i++) {
            BigDecimal value = i < extra ? share.add(unit) : share;
            result.add(new Money(value, currency));
        }
        return result;
    }

    public Money negate() {
"""

_ALLOCATE_TEST = """\
    @Test
    void allocateSpreadsRemainderOverFirstShares() {
        List<Money> shares = Money.of("100.00", EUR).allocate(3);
        assertEquals(List.of(Money.of("33.34", EUR), Money.of("33.33", EUR),
                Money.of("33.33", EUR)), shares);
    }

    @Test
    void negateFlipsSign() {
"""

_ALLOCATE_TEST_NEGATIVE = """\
    @Test
    void allocateNegativeAmountKeepsTotal() {
        List<Money> shares = Money.of("-0.05", EUR).allocate(3);
        assertEquals(List.of(Money.of("-0.02", EUR), Money.of("-0.02", EUR),
                Money.of("-0.01", EUR)), shares);
    }

    @Test
    void allocateJpyUsesWholeUnits() {
        List<Money> shares = Money.of("100", Currency.JPY).allocate(3);
        assertEquals(Money.of("34", Currency.JPY), shares.get(0));
    }

    @Test
    void negateFlipsSign() {
"""

PR_ALLOCATE = PullSpec(
    title="Add Money.allocate for splitting amounts without losing cents",
    body=(
        "Splitting an invoice into instalments with `times(1/3)` loses a cent: "
        "3 x 33.33 = 99.99. `allocate(n)` gives the remainder to the first shares, "
        "like `Money.allocate` in moneta / Fowler's PoEAA."
    ),
    author="priya-n",
    branch="feature/money-allocate",
    labels=("enhancement",),
    changes=(
        FileChange(
            MONEY,
            edits=(
                Edit(
                    "import java.util.Objects;\n",
                    "import java.util.ArrayList;\nimport java.util.List;\n"
                    "import java.util.Objects;\n",
                ),
                Edit("    public Money negate() {\n", _ALLOCATE_V1),
            ),
        ),
        FileChange(
            MONEY_TEST,
            edits=(
                Edit(
                    "import java.math.BigDecimal;\n",
                    "import java.math.BigDecimal;\nimport java.util.List;\n",
                ),
                Edit("    @Test\n    void negateFlipsSign() {\n", _ALLOCATE_TEST),
            ),
        ),
    ),
    fixups=(
        FileChange(
            MONEY,
            edits=(
                Edit(
                    "        int extra = remainder.divide(unit).intValue();\n",
                    "        int extra = "
                    "remainder.abs().movePointRight(scale).intValueExact();\n"
                    "        BigDecimal step = amount.signum() < 0 ? unit.negate() : "
                    "unit;\n",
                ),
                Edit(
                    "for (int i = 0; i <= parts; i++) {",
                    "for (int i = 0; i < parts; i++) {",
                ),
                Edit(
                    "BigDecimal value = i < extra ? share.add(unit) : share;",
                    "BigDecimal value = i < extra ? share.add(step) : share;",
                ),
            ),
        ),
        FileChange(
            MONEY_TEST,
            edits=(
                Edit(
                    "    @Test\n    void negateFlipsSign() {\n", _ALLOCATE_TEST_NEGATIVE
                ),
            ),
        ),
    ),
    comments=(
        Comment(
            key="off-by-one",
            author="rstein",
            association="COLLABORATOR",
            path=MONEY,
            anchor="for (int i = 0; i <= parts; i++) {",
            outdated=True,
            body=(
                "`<=` gives `parts + 1` shares: `allocate(3)` returns four `Money` "
                "values and the total is off by a whole share. The test only compares "
                "against a three-element list... which should fail? Did CI run?"
            ),
        ),
        Comment(
            key="off-by-one-reply",
            author="priya-n",
            association="CONTRIBUTOR",
            reply_to="off-by-one",
            outdated=True,
            body=(
                "It did fail, I pushed before looking at the build, sorry. Fixed in "
                "the "
                "next commit."
            ),
        ),
        Comment(
            key="negative",
            author="mhalvorsen",
            association="OWNER",
            path=MONEY,
            anchor="BigDecimal value = i < extra ? share.add(unit) : share;",
            outdated=True,
            body=(
                "Negative amounts (refunds, credit notes) break here. "
                "`RoundingMode.DOWN` "
                "rounds toward zero, so for `-0.05 / 3` the share is `-0.01` and the "
                "remainder `-0.02`; `extra` is `-2`, `i < extra` is never true and the "
                "shares add up to `-0.03`. The step has to carry the sign of the "
                "amount."
            ),
        ),
        Comment(
            key="negative-reply",
            author="priya-n",
            association="CONTRIBUTOR",
            reply_to="negative",
            outdated=True,
            body=(
                "Good catch, fixed in the next commit: `extra` is computed from "
                "`remainder.abs()` and the step is `unit.negate()` for negative "
                "amounts. "
                "Added `allocateNegativeAmountKeepsTotal`."
            ),
        ),
        Comment(
            key="exact",
            author="adebayo-o",
            path=MONEY,
            anchor="int extra = remainder.divide(unit).intValue();",
            outdated=True,
            body=(
                "nit: `divide(unit)` without a `MathContext` throws when the quotient "
                "isn't exact. It always is here, but `intValue()` would silently "
                "truncate if that ever changed. Saying what we mean:\n\n"
                "```suggestion\n"
                "        int extra = remainder.movePointRight(scale).intValueExact();\n"
                "```"
            ),
        ),
        Comment(
            key="ratios",
            author="lucia-ferraz",
            path=MONEY,
            anchor="public List<Money> allocate(int parts) {",
            body=(
                "Do we want `allocate(int... ratios)` too? The instalment use case is "
                "usually 30/70 deposits. Fine to leave for later, but maybe name this "
                "one so that a ratio overload reads naturally next to it."
            ),
        ),
        Comment(
            key="ratios-reply",
            author="priya-n",
            association="CONTRIBUTOR",
            reply_to="ratios",
            body=(
                "`allocate(int parts)` and `allocate(int... ratios)` would be "
                "ambiguous "
                "for a single int argument. I'd name the ratio one `allocateByRatio` "
                "when we need it; keeping `allocate(n)` since that's what moneta calls "
                "it."
            ),
        ),
        Comment(
            key="jpy",
            author="rstein",
            association="COLLABORATOR",
            path=MONEY_TEST,
            anchor="void allocateJpyUsesWholeUnits() {",
            body="Thanks for the JPY case, that's the one I'd have asked for.",
        ),
    ),
    conversation=(
        IssueComment(
            author="codecov[bot]",
            author_type="Bot",
            association="NONE",
            body=(
                "## [Codecov](https://app.codecov.io/gh/northwind-oss/ledger-core) "
                "Report\n"
                "Attention: Patch coverage is `93.33333%` with `1 line` in your "
                "changes "
                "missing coverage. Please review.\n\n"
                "| Files | Patch % | Lines |\n|---|---|---|\n"
                "| src/main/java/io/northwind/ledger/Money.java | 93.33% | "
                "[1 Missing :warning: ] |\n"
            ),
        ),
    ),
)

_VAT_CTOR_SUGGESTION = """\
A rate of `19` instead of `0.19` is an easy mistake (our own config uses percent) and \
would book 95% of revenue as VAT without any error. Could we validate here?

```suggestion
    public VatRule(String revenueAccount, String vatAccount, BigDecimal rate) {
        if (rate.signum() < 0 || rate.compareTo(BigDecimal.ONE) >= 0) {
            throw new IllegalArgumentException("VAT rate must be a fraction: " + rate);
        }
```"""

PR_VAT = PullSpec(
    title="Fix VatRule computing VAT on the gross amount",
    body=(
        "VAT contained in a gross amount is `gross * rate / (1 + rate)`. The net is "
        "now "
        "derived by dividing, and VAT is the difference, so net + VAT always equals "
        "the "
        "gross credit exactly.\n\nFixes #12"
    ),
    author="tkowalski",
    branch="fix/vat-on-gross",
    labels=("bug",),
    changes=(
        FileChange(
            VAT_RULE,
            edits=(
                Edit(
                    "import java.math.BigDecimal;\n",
                    "import java.math.BigDecimal;\nimport java.math.RoundingMode;\n",
                ),
                Edit(
                    "    public VatRule(String revenueAccount,",
                    "    /**\n"
                    "     * @param rate the VAT rate as a fraction, e.g. {@code 0.19} "
                    "for 19%; "
                    "amounts\n"
                    "     *             credited to {@code revenueAccount} include "
                    "VAT\n"
                    "     */\n"
                    "    public VatRule(String revenueAccount,",
                ),
                Edit(
                    "                Money vat = gross.times(rate);\n"
                    "                postings.add(Posting.credit(revenueAccount, "
                    "gross.minus(vat)));\n",
                    "                BigDecimal divisor = BigDecimal.ONE.add(rate);\n"
                    "                Money net = "
                    "Money.of(gross.amount().divide(divisor,\n"
                    "                        gross.currency().minorUnits(), "
                    "RoundingMode.HALF_EVEN),\n"
                    "                        gross.currency());\n"
                    "                Money vat = gross.minus(net);\n"
                    "                postings.add(Posting.credit(revenueAccount, "
                    "net));\n",
                ),
            ),
        ),
        FileChange(
            f"{_TEST}/rules/VatRuleTest.java",
            content="""\
package io.northwind.ledger.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.northwind.ledger.Currency;
import io.northwind.ledger.JournalEntry;
import io.northwind.ledger.Money;
import io.northwind.ledger.Posting;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

class VatRuleTest {

    private final VatRule rule = new VatRule("revenue", "vat", new BigDecimal("0.19"));

    @Test
    void splitsGrossIntoNetAndVat() {
        Money gross = Money.of("119.00", Currency.EUR);
        JournalEntry entry = new JournalEntry("i1", LocalDate.of(2024, 4, 2), "Invoice",
                List.of(Posting.debit("receivables", gross),
                        Posting.credit("revenue", gross)));

        List<Posting> postings = rule.apply(entry).postings();

        assertEquals(Money.of("100.00", Currency.EUR), postings.get(1).amount());
        assertEquals(Money.of("19.00", Currency.EUR), postings.get(2).amount());
    }
}
""",
        ),
        FileChange(
            "CHANGELOG.md",
            edits=(
                Edit(
                    "## Unreleased\n",
                    "## Unreleased\n- Fixed `VatRule` computing VAT on the gross "
                    "amount (#12).\n",
                ),
            ),
        ),
    ),
    fixups=(
        FileChange(
            VAT_RULE,
            edits=(
                Edit(
                    "gross.currency().minorUnits(), RoundingMode.HALF_EVEN),",
                    "gross.currency().minorUnits(), RoundingMode.HALF_UP),",
                ),
            ),
        ),
    ),
    fixup_message="Round net amount half-up like Money.times",
    comments=(
        Comment(
            key="half-even",
            author="mhalvorsen",
            association="OWNER",
            path=VAT_RULE,
            anchor="gross.currency().minorUnits(), RoundingMode.HALF_EVEN),",
            outdated=True,
            body=(
                "Why `HALF_EVEN`? Everywhere else (`Money.times`) we use `HALF_UP`, "
                "and "
                "German and Austrian tax guidance both expect commercial rounding per "
                "line. Banker's rounding will differ by a cent on exact halves, which "
                "is "
                "exactly the kind of difference auditors ask about."
            ),
        ),
        Comment(
            key="half-even-reply",
            author="tkowalski",
            association="CONTRIBUTOR",
            reply_to="half-even",
            outdated=True,
            body=(
                "I picked it to avoid systematic upward bias over many invoices, but "
                "you're right that consistency with `times()` matters more, and a "
                "per-jurisdiction policy is a bigger change. Would you be OK with "
                "`HALF_UP` now and a `RoundingPolicy` on the rule later?"
            ),
        ),
        Comment(
            key="half-even-reply-2",
            author="mhalvorsen",
            association="OWNER",
            reply_to="half-even",
            outdated=True,
            body=(
                "Yes, `HALF_UP` here please, and let's track the policy idea "
                "separately."
            ),
        ),
        Comment(
            key="difference",
            author="rstein",
            association="COLLABORATOR",
            path=VAT_RULE,
            start_anchor="BigDecimal divisor = BigDecimal.ONE.add(rate);",
            anchor="Money vat = gross.minus(net);",
            body=(
                "Deriving VAT as `gross - net` instead of rounding it independently is "
                "the important part: the two credits can never disagree with the gross "
                "by a cent, so `requireBalanced` from the unbalanced-entry PR won't "
                "trip on rounding. 👍"
            ),
        ),
        Comment(
            key="rate-check",
            author="lucia-ferraz",
            path=VAT_RULE,
            anchor="public VatRule(String revenueAccount, String vatAccount,",
            body=_VAT_CTOR_SUGGESTION,
        ),
        Comment(
            key="test-order",
            author="adebayo-o",
            path=f"{_TEST}/rules/VatRuleTest.java",
            start_anchor='assertEquals(Money.of("100.00", Currency.EUR),',
            anchor='assertEquals(Money.of("19.00", Currency.EUR),',
            body=(
                "These index into the posting list, so the test breaks if the rule "
                "ever "
                "emits VAT before revenue. Asserting on account names (filter by "
                "`posting.account()`) would make it about behaviour, not order."
            ),
        ),
        Comment(
            key="zero-rate",
            author="rstein",
            association="COLLABORATOR",
            path=f"{_TEST}/rules/VatRuleTest.java",
            anchor="void splitsGrossIntoNetAndVat() {",
            body=(
                "Could you add a 0% case? With this change it produces a `vat` posting "
                "of `EUR 0.00`, which `Posting` allows, but the reports team filters "
                "out "
                "zero postings and may want the rule to skip it instead."
            ),
        ),
    ),
    conversation=(
        IssueComment(
            author="sbrandt-fin",
            association="NONE",
            body=(
                "Confirmed on our staging ledger with this branch, thanks for the fix!"
            ),
        ),
    ),
)

PR_BETWEEN = PullSpec(
    title="Make Journal.between inclusive and stop leaking the entries list",
    body=(
        "Two small fixes found while writing the monthly report:\n\n"
        "- `between(from, to)` excluded both endpoints, so a report for March dropped "
        "entries dated March 1st and 31st. It is now inclusive on both ends, which is "
        "what the callers expected.\n"
        "- `entries()` returned the internal `ArrayList`, and one caller was sorting "
        "it "
        "in place."
    ),
    author="lucia-ferraz",
    author_association="MEMBER",
    branch="fix/journal-between-inclusive",
    labels=("bug",),
    changes=(
        FileChange(
            JOURNAL,
            edits=(
                Edit(
                    "import java.util.ArrayList;\n",
                    "import java.util.ArrayList;\nimport java.util.Collections;\n",
                ),
                Edit(
                    "    public List<JournalEntry> entries() {\n"
                    "        return entries;\n",
                    "    public List<JournalEntry> entries() {\n"
                    "        return Collections.unmodifiableList(entries);\n",
                ),
                Edit(
                    "    /** Entries dated within the given period. */\n",
                    "    /** Entries dated within the given period, both ends "
                    "inclusive. */"
                    "\n",
                ),
                Edit(
                    "            if (entry.date().isAfter(from) && "
                    "entry.date().isBefore(to)) {\n",
                    "            if (!entry.date().isBefore(from) && "
                    "!entry.date().isAfter(to)) {\n",
                ),
            ),
        ),
        FileChange(
            JOURNAL_TEST,
            edits=(
                Edit(
                    "        assertEquals(1, march.size());\n",
                    "        assertEquals(3, march.size());\n",
                ),
            ),
        ),
    ),
    comments=(
        Comment(
            key="old-check",
            author="rstein",
            association="COLLABORATOR",
            path=JOURNAL,
            side="LEFT",
            anchor="if (entry.date().isAfter(from) && entry.date().isBefore(to)) {",
            body=(
                "For the record, the old check was exclusive on *both* ends, which is "
                "not even the usual half-open interval. Anyone who worked around it by "
                "passing `from.minusDays(1)` will now get an extra day. Worth a line "
                "in "
                "the changelog as a behaviour change."
            ),
        ),
        Comment(
            key="old-check-reply",
            author="lucia-ferraz",
            association="MEMBER",
            reply_to="old-check",
            body=(
                "I grepped our internal repos and found one such workaround in the VAT "
                "return job; I'll fix it there once this is released. Adding a "
                "changelog entry in the release PR."
            ),
        ),
        Comment(
            key="view",
            author="dgrant-dev",
            association="CONTRIBUTOR",
            path=JOURNAL,
            anchor="return Collections.unmodifiableList(entries);",
            body=(
                "`unmodifiableList` is a view, so a caller iterating it while another "
                "thread posts gets a `ConcurrentModificationException`. `List.copyOf` "
                "would give a snapshot."
            ),
        ),
        Comment(
            key="view-reply",
            author="lucia-ferraz",
            association="MEMBER",
            reply_to="view",
            body=(
                "Copying is O(n) per call and the report generator calls `entries()` "
                "in "
                "a loop. `Journal` isn't thread-safe today anyway; I'd rather fix that "
                "properly (there's a PR coming) than pay for a copy on every read."
            ),
        ),
        Comment(
            key="left-test",
            author="adebayo-o",
            path=JOURNAL_TEST,
            side="LEFT",
            anchor="assertEquals(1, march.size());",
            body="Ha, so the test was asserting the bug.",
        ),
        Comment(
            key="sonar-dates",
            author="sonarcloud[bot]",
            author_type="Bot",
            association="NONE",
            path=JOURNAL,
            anchor="if (!entry.date().isBefore(from) && !entry.date().isAfter(to)) {",
            body=(
                "**Code Smell** (Info): Add a check that `from` is not after `to`; "
                "methods should validate their arguments.\n\n[See rule java:S2583]"
                "(https://sonarcloud.io/organizations/northwind-oss/rules"
                "?open=java%3AS2583)"
            ),
        ),
    ),
    conversation=(
        IssueComment(author="mhalvorsen", association="OWNER", body="Looks good to me"),
    ),
)

PR_REMOVE_UTILS = PullSpec(
    title="Remove deprecated MoneyUtils",
    body=(
        "`MoneyUtils` was deprecated for removal in 0.3. `sum` moves to `Money.sum`; "
        "`fromDouble`/`toDouble` go away without replacement (use `BigDecimal.valueOf` "
        "explicitly if you must)."
    ),
    author="mhalvorsen",
    author_association="OWNER",
    branch="chore/remove-money-utils",
    labels=("enhancement",),
    changes=(
        FileChange(MONEY_UTILS, delete=True),
        FileChange(
            MONEY,
            edits=(
                Edit(
                    "    public BigDecimal amount() {\n",
                    "    /** Adds up {@code values}; returns zero for an empty "
                    "iterable. */\n"
                    "    public static Money sum(Iterable<Money> values, Currency "
                    "currency) "
                    "{\n"
                    "        Money total = zero(currency);\n"
                    "        for (Money value : values) {\n"
                    "            total = total.plus(value);\n"
                    "        }\n"
                    "        return total;\n"
                    "    }\n"
                    "\n"
                    "    public BigDecimal amount() {\n",
                ),
            ),
        ),
        FileChange(
            "CHANGELOG.md",
            edits=(
                Edit(
                    "## Unreleased\n",
                    "## Unreleased\n- Removed `MoneyUtils`; use `Money.sum` instead "
                    "of "
                    "`MoneyUtils.sum`.\n",
                ),
            ),
        ),
    ),
    comments=(
        Comment(
            key="fromdouble",
            author="adebayo-o",
            path=MONEY_UTILS,
            side="LEFT",
            anchor="BigDecimal exact = BigDecimal.valueOf(value);",
            body=(
                "This used `BigDecimal.valueOf(double)`, which goes through "
                "`Double.toString` and gives `0.1` for `0.1`. People migrating off it "
                "will reach for `new BigDecimal(0.1)` and get "
                "`0.1000000000000000055511151231257827...`. Can the changelog say "
                "explicitly which one to use?"
            ),
        ),
        Comment(
            key="fromdouble-reply",
            author="mhalvorsen",
            association="OWNER",
            reply_to="fromdouble",
            body=(
                "Good point. I'll put a short migration section in the 0.4 release "
                "notes rather than the changelog line, with both snippets side by side."
            ),
        ),
        Comment(
            key="todouble",
            author="rstein",
            association="COLLABORATOR",
            path=MONEY_UTILS,
            side="LEFT",
            anchor="return money.amount().doubleValue();",
            body=(
                "The reporting module still calls `toDouble` for chart axes. That's a "
                "legit use (display only). Are we sure we don't want to keep a "
                "`Money.toDouble()` for that?"
            ),
        ),
        Comment(
            key="todouble-reply",
            author="mhalvorsen",
            association="OWNER",
            reply_to="todouble",
            body=(
                "`money.amount().doubleValue()` is one call away and makes the lossy "
                "conversion visible at the call site. I'd rather not bless it in the "
                "API. I'll send the reporting module a patch."
            ),
        ),
        Comment(
            key="sum-empty",
            author="lucia-ferraz",
            path=MONEY,
            anchor=(
                "public static Money sum(Iterable<Money> values, Currency currency) {"
            ),
            body=(
                "The `currency` parameter is only needed for the empty case; when the "
                "iterable isn't empty and contains another currency, `plus` throws "
                "`CurrencyMismatchException`, which is the right thing. Maybe worth a "
                "`@throws` in the javadoc."
            ),
        ),
        Comment(
            key="sum-test",
            author="rstein",
            association="COLLABORATOR",
            path=MONEY,
            anchor="Money total = zero(currency);",
            body=(
                "`MoneyUtils` had `MoneyUtilsTest`? I don't see tests for `Money.sum` "
                "being added, could you move them over?"
            ),
        ),
        Comment(
            key="sum-test-reply",
            author="mhalvorsen",
            association="OWNER",
            reply_to="sum-test",
            body=(
                "There never was a `MoneyUtilsTest`, which says something. I'll add "
                "`sumOfEmptyIsZero` and `sumRejectsMixedCurrencies` in the release PR."
            ),
        ),
    ),
)

_JOURNAL_COW_DOC = """\
/**
 * An append-only journal of entries.
 *
 * <p>Thread-safe. Entries and rules are kept in copy-on-write lists: reads and
 * iteration never block and see a consistent snapshot, while each {@link #post}
 * copies the entry list. This favours read-heavy use (reports) over high posting
 * rates; bulk imports should post into an unshared journal.
 */
"""

PR_CONCURRENT = PullSpec(
    title="Make Journal safe for concurrent posting",
    body=(
        "Our API server shares one `Journal` per tenant across request threads and we "
        "see occasional `ConcurrentModificationException`s from report requests that "
        "iterate `entries()` while a post happens. This switches both lists to "
        "`CopyOnWriteArrayList`."
    ),
    author="dgrant-dev",
    branch="feature/thread-safe-journal",
    labels=("enhancement", "performance"),
    changes=(
        FileChange(
            JOURNAL,
            edits=(
                Edit(
                    "import java.util.Map;\n",
                    "import java.util.Map;\n"
                    "import java.util.concurrent.CopyOnWriteArrayList;\n",
                ),
                Edit(
                    "    private final List<JournalEntry> entries = new "
                    "ArrayList<>();\n"
                    "    private final List<PostingRule> rules = new ArrayList<>();\n",
                    "    private final List<JournalEntry> entries = "
                    "new CopyOnWriteArrayList<>();\n"
                    "    private final List<PostingRule> rules = "
                    "new CopyOnWriteArrayList<>();\n",
                ),
            ),
        ),
    ),
    fixups=(
        FileChange(
            JOURNAL,
            edits=(
                Edit("/** An append-only journal of entries. */\n", _JOURNAL_COW_DOC),
            ),
        ),
    ),
    comments=(
        Comment(
            key="cow-cost",
            author="rstein",
            association="COLLABORATOR",
            path=JOURNAL,
            anchor=(
                "private final List<JournalEntry> entries = new CopyOnWriteArrayList"
            ),
            body=(
                "`CopyOnWriteArrayList.add` copies the whole backing array, so posting "
                "is O(n) and importing n entries is O(n²). For the bank-import job "
                "(~200k entries per run) that's going to hurt. A "
                "`ReentrantReadWriteLock` "
                "around an `ArrayList` would keep posting O(1)."
            ),
        ),
        Comment(
            key="cow-cost-reply",
            author="dgrant-dev",
            association="CONTRIBUTOR",
            reply_to="cow-cost",
            body=(
                "I measured before picking this: the import job builds its own journal "
                "and posts single-threaded, so it could keep an unshared instance. For "
                "the shared ones, posting is a few hundred per day per tenant and "
                "reads "
                "dominate; COW gives lock-free snapshot iteration, which is exactly "
                "what "
                "the report threads need. A RW lock would make every `balance()` call "
                "take a lock and we'd still need to copy for `entries()`."
            ),
        ),
        Comment(
            key="cow-cost-reply-2",
            author="rstein",
            association="COLLABORATOR",
            reply_to="cow-cost",
            body=(
                "Fair enough, the numbers convince me. Please document the trade-off "
                "in "
                "the class javadoc so the import job authors know."
            ),
        ),
        Comment(
            key="doc",
            author="mhalvorsen",
            association="OWNER",
            path=JOURNAL,
            anchor="/** An append-only journal of entries. */",
            outdated=True,
            body=(
                "The class doc should say whether this is thread-safe now, and at what "
                "cost."
            ),
        ),
        Comment(
            key="doc-reply",
            author="dgrant-dev",
            association="CONTRIBUTOR",
            reply_to="doc",
            outdated=True,
            body="Done, see the javadoc in the latest commit.",
        ),
        Comment(
            key="rules-race",
            author="adebayo-o",
            path=JOURNAL,
            anchor="private final List<PostingRule> rules = new CopyOnWriteArrayList",
            body=(
                "`post` iterates `rules` while `addRule` may run concurrently. With "
                "COW "
                "that's safe, but a post that started before `addRule` won't see the "
                "new "
                "rule. Probably fine, but worth knowing if someone adds rules lazily."
            ),
        ),
    ),
    conversation=(
        IssueComment(
            author="codecov[bot]",
            author_type="Bot",
            association="NONE",
            body=(
                "## [Codecov](https://app.codecov.io/gh/northwind-oss/ledger-core) "
                "Report\n"
                "All modified and coverable lines are covered by tests "
                ":white_check_mark:"
                "\n\n> Project coverage is 92.10%. Comparing base (`a4c09de`) to head "
                "(`e2f7b15`)."
            ),
        ),
        IssueComment(author="lucia-ferraz", body="🎉"),
    ),
)

PR_LONG_CENTS = PullSpec(
    title="Store Money as long minor units for faster arithmetic",
    body=(
        "Profiling the bank import shows ~30% of CPU in `BigDecimal.add`. This stores "
        "the amount as `long` minor units (cents) and only creates a `BigDecimal` in "
        "`amount()`."
    ),
    author="dgrant-dev",
    branch="perf/money-long-cents",
    state="closed",
    labels=("performance",),
    changes=(
        FileChange(
            MONEY,
            edits=(
                Edit(
                    "    private final BigDecimal amount;\n",
                    "    private final long minor;\n",
                ),
                Edit(
                    "    public BigDecimal amount() {\n        return amount;\n",
                    "    public BigDecimal amount() {\n"
                    "        return BigDecimal.valueOf(minor, "
                    "currency.minorUnits());\n",
                ),
                Edit(
                    "        return new Money(amount.add(other.amount), currency);\n",
                    "        return new Money(Math.addExact(minor, other.minor), "
                    "currency);\n",
                ),
            ),
        ),
    ),
    comments=(
        Comment(
            key="overflow",
            author="rstein",
            association="COLLABORATOR",
            path=MONEY,
            anchor="return new Money(Math.addExact(minor, other.minor), currency);",
            body=(
                "`addExact` at least fails loudly, but `times(BigDecimal)` would still "
                "need a `BigDecimal` round trip, so the hot path in the import "
                "(`times` for FX conversion) doesn't get faster at all."
            ),
        ),
        Comment(
            key="alloc",
            author="mhalvorsen",
            association="OWNER",
            path=MONEY,
            anchor="return BigDecimal.valueOf(minor, currency.minorUnits());",
            body=(
                "`amount()` now allocates on every call, and it's called in every "
                "`equals`/`compareTo` by callers. I'd want a JMH benchmark before and "
                "after before we change the representation of the core value type; the "
                "profile you mention might be dominated by `Money.of(String)` parsing."
            ),
        ),
        Comment(
            key="incomplete",
            author="adebayo-o",
            path=MONEY,
            anchor="private final long minor;",
            body=(
                "This doesn't compile yet: the constructor, `minus`, `negate` and "
                "`equals` still use `amount`."
            ),
        ),
    ),
    conversation=(
        IssueComment(
            author="dgrant-dev",
            association="CONTRIBUTOR",
            body=(
                "You're right, I profiled again with async-profiler and most of the "
                "time "
                "is in `new BigDecimal(String)` in the CSV parser, not in `Money`. "
                "Closing this; I'll fix the parser instead."
            ),
        ),
    ),
)

PR_DOCS = PullSpec(
    title="docs: explain scale and rounding rules in the README",
    body=(
        "Documents what #3 and #12 taught us, so users stop filing the same questions."
    ),
    author="adebayo-o",
    author_association="MEMBER",
    branch="docs/rounding",
    labels=("docs",),
    changes=(
        FileChange(
            "README.md",
            edits=(
                Edit(
                    "## Building\n",
                    "## Scale and rounding\n"
                    "\n"
                    "- Every `Money` is stored at its currency's minor-unit scale "
                    "(2 for EUR, 0 for JPY, 3 for KWD).\n"
                    "  `Money.of` rejects amounts with more decimals instead of "
                    "rounding them.\n"
                    "- `times` rounds half-up to the minor unit.\n"
                    "- `allocate(n)` splits an amount into `n` shares that always add "
                    "up "
                    "to the original;\n"
                    "  earlier shares receive the leftover minor units.\n"
                    "- `VatRule` derives VAT as `gross - net`, so the two postings "
                    "always "
                    "sum to the gross.\n"
                    "\n"
                    "## Building\n",
                ),
            ),
        ),
    ),
    comments=(
        Comment(
            key="kwd",
            author="rstein",
            association="COLLABORATOR",
            path="README.md",
            anchor="(2 for EUR, 0 for JPY, 3 for KWD).",
            body=(
                "Maybe link the ISO 4217 list here; people will ask about currencies "
                "not in our table (e.g. CLF has 4)."
            ),
        ),
        Comment(
            key="half-up",
            author="mhalvorsen",
            association="OWNER",
            path="README.md",
            anchor="- `times` rounds half-up to the minor unit.",
            body=(
                "```suggestion\n"
                "- `times` rounds half-up (`RoundingMode.HALF_UP`) to the minor unit; "
                "so does `VatRule`.\n"
                "```"
            ),
        ),
        Comment(
            key="lgtm",
            author="lucia-ferraz",
            path="README.md",
            anchor="earlier shares receive the leftover minor units.",
            body="Looks good to me",
        ),
    ),
)

PULLS = (
    PR_SCALE,
    PR_MEMO,
    PR_BALANCED,
    PR_JUNIT,
    PR_ALLOCATE,
    PR_VAT,
    PR_BETWEEN,
    PR_REMOVE_UTILS,
    PR_CONCURRENT,
    PR_LONG_CENTS,
    PR_DOCS,
)

REPO = RepoSpec(
    owner="northwind-oss",
    name="ledger-core",
    language="Java",
    description="Double-entry bookkeeping primitives for the JVM: Money, Journal, "
    "posting rules.",
    stars=412,
    license_spdx="Apache-2.0",
    topics=("accounting", "double-entry", "bigdecimal", "java", "ledger"),
    created_at="2022-06-14T09:21:37Z",
    files=FILES,
    pulls=PULLS,
    issues=ISSUES,
)
